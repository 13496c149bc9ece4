SELECT id, name, created_at FROM sources WHERE name = :name;
