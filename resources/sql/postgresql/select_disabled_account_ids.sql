SELECT id FROM accounts WHERE disabled <> 0;
