SELECT delivery_id, channel, outcome, detail, at, sent_at FROM delivery_attempts WHERE delivery_id = :delivery_id ORDER BY id;
