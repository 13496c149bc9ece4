INSERT INTO audit_log (at, operator, action, target, peer, outcome) VALUES (:at, :operator, :action, :target, :peer, :outcome);
