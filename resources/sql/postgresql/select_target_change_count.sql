SELECT n FROM target_changes WHERE id = 1;
