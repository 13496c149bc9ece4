UPDATE deliveries SET claimed_by = :to WHERE id = :id AND claimed_by = :claimer AND state = 'pending';
