SELECT COUNT(*) FROM operators;
