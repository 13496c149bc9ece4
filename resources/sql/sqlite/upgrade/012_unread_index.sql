-- Version 12: every push carries the account's unread count as its badge (count_unread_notifications).
-- Through notifications_account that count read every notification the account ever had, opened
-- ones too, row by row; this index holds only the unread ones, and the count reads just the index
-- (state is in it so that SQLite sees the index covers the query).
CREATE INDEX notifications_unread ON notifications (account_id, state, expires_at) WHERE state = 'active';
