SELECT id, notification_id, device_id, state, channel, attempts, next_attempt_at, last_error, provider_id, created_at, updated_at FROM deliveries WHERE id = :id;
