SELECT COUNT(*) FROM deliveries WHERE state <> 'delivered' AND state <> 'failed' AND state <> 'cancelled';
