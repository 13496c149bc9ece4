-- Version 11 is where PostgreSQL support starts: a new PostgreSQL database is set up at this
-- version by the setup_*.sql scripts, so there is nothing to upgrade from. The file exists so
-- that both engines count versions the same way; upgrade 12 onwards comes for both engines.
SELECT 1;
