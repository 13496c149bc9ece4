UPDATE operators SET role = :role WHERE id = :id;
