-- Version 6: deliveries_due holds open deliveries only (setup_070_notifications.sql).
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at) WHERE state IN ('pending', 'inband', 'push', 'retry');
