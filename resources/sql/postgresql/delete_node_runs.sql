DELETE FROM nodes WHERE node = :node;
