UPDATE operators SET disabled = :disabled WHERE id = :id;
