-- Version 7: deliveries_due (every delivery, by state) becomes deliveries_open (open ones only);
-- see setup_070_notifications.sql. Finished deliveries simply are not in it.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_open ON deliveries (next_attempt_at, created_at)
    WHERE state <> 'delivered' AND state <> 'failed' AND state <> 'cancelled';
