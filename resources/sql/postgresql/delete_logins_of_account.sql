DELETE FROM logins WHERE account_id = :account_id;
