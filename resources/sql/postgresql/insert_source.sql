INSERT INTO sources (name, token_hash, created_at, kind) VALUES (:name, :token_hash, :created_at, :kind) RETURNING id;
