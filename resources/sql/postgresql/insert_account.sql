INSERT INTO accounts (name, password_hash, disabled, created_at) VALUES (:name, :password_hash, 0, :created_at) RETURNING id;
