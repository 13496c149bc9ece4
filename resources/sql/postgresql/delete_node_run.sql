DELETE FROM nodes WHERE claimer = :claimer;
