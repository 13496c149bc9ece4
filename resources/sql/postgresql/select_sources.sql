SELECT id, name, created_at, kind, revoked_at FROM sources ORDER BY name;
