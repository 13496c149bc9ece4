SELECT id, name, password_hash, role, disabled, created_at FROM operators WHERE name = :name;
