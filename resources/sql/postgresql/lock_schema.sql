SELECT pg_advisory_xact_lock(4847658276434321);
