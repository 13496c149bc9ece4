UPDATE operators SET password_hash = :password_hash WHERE id = :id;
