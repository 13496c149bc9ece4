UPDATE devices SET last_seen = json_extract(u.value, '$[1]') FROM json_each(:seen) AS u WHERE devices.id = json_extract(u.value, '$[0]');
