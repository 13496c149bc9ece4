DELETE FROM console_sessions WHERE operator_id = :operator_id;
