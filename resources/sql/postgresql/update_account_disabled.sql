UPDATE accounts SET disabled = :disabled WHERE id = :id;
