UPDATE logins SET checkpoint = :checkpoint WHERE account_id = :account_id AND app = :app;
