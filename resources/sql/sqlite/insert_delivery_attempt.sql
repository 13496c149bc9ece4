INSERT INTO delivery_attempts (delivery_id, channel, outcome, detail, at) VALUES (:delivery_id, :channel, :outcome, :detail, :at);
