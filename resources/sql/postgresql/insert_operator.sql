INSERT INTO operators (name, password_hash, role, disabled, created_at) VALUES (:name, :password_hash, :role, 0, :created_at) RETURNING id;
