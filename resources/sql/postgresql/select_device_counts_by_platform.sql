SELECT platform, COUNT(*) FROM devices GROUP BY platform;
