UPDATE sources SET revoked_at = :revoked_at WHERE id = :id AND revoked_at IS NULL;
