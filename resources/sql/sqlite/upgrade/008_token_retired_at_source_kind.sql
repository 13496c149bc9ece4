-- Version 8: when a device's push token was retired (the console shows it beside the provider's
-- reason), and sources that can be revoked and are of a kind: 'events' (POST /v1/events, what every
-- source was before) or 'presence' (a gateway's presence reports). A revoked source keeps its row so
-- that its events' history still names it.
ALTER TABLE devices ADD COLUMN push_token_retired_at INTEGER;
ALTER TABLE sources ADD COLUMN kind TEXT NOT NULL DEFAULT 'events';
ALTER TABLE sources ADD COLUMN revoked_at INTEGER;
