UPDATE devices SET last_seen = :last_seen WHERE id = :id;
