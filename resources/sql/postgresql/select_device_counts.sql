SELECT account_id, COUNT(*) FROM devices GROUP BY account_id;
