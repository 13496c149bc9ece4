INSERT INTO device_apps (device_id, app) VALUES (:device_id, :app);
