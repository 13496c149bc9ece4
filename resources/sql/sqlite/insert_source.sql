INSERT INTO sources (name, token_hash, created_at) VALUES (:name, :token_hash, :created_at);
