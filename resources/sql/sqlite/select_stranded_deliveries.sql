SELECT id FROM deliveries WHERE claimed_by = :claimer AND state = 'pending' AND updated_at < :before ORDER BY updated_at LIMIT :limit;
