DELETE FROM devices WHERE id = :id;
