UPDATE notifications SET state = :state, opened_at = :opened_at WHERE id = :id;
