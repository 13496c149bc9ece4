SELECT COUNT(*) FROM notifications WHERE account_id = :account_id AND state = 'active' AND expires_at > :now;
