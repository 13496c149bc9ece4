-- Version 11: a device's Web Push style public key (RFC 8291: the P-256 point `p256dh`, 65 bytes,
-- and the 16-byte `auth` secret), given at registration. With it the privacy level `encrypted`
-- sends the full content sealed for that device alone. NULL when the device registered none.
ALTER TABLE devices ADD COLUMN push_key_p256dh BLOB;
ALTER TABLE devices ADD COLUMN push_key_auth BLOB;
