SELECT coalesce(max(updated_at), 0) FROM deliveries WHERE state <> 'delivered' AND state <> 'failed' AND state <> 'cancelled';
