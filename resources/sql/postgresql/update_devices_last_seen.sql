UPDATE devices AS d SET last_seen = CAST(u.pair ->> 1 AS BIGINT) FROM jsonb_array_elements(CAST(:seen AS JSONB)) AS u (pair) WHERE d.id = CAST(u.pair ->> 0 AS BIGINT);
