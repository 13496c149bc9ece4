DELETE FROM device_apps WHERE device_id = :device_id;
