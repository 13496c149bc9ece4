-- Version 6: a push attempt is one row (outcome and when it was sent) instead of a "sent" row and
-- an outcome row written together. Rows of older versions keep their sent_at of 0.
ALTER TABLE delivery_attempts ADD COLUMN sent_at INTEGER NOT NULL DEFAULT 0;
