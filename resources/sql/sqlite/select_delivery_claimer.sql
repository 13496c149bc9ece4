SELECT claimed_by FROM deliveries WHERE id = :id;
