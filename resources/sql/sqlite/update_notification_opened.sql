UPDATE notifications SET state = 'opened', opened_at = :opened_at WHERE id = :id AND state = 'active';
