#pragma once

#include <QString>

#include <optional>

namespace herald {

// This server's node name: what the nodes table (the outbox's claims) and the logs call it. Made
// once per data folder, "<host>-<6 hex digits>", and kept in <data-dir>/node-name, so that a
// restart is the same node (it lets go of its earlier run's claims at once) while two servers on
// one host, each with a data folder of its own, are two nodes. An operator may write a name of
// their own there: 1 to 100 letters, digits, '.', '_' or '-'. Anything else is an error that names
// the file, and the file is left as it is.
std::optional<QString> loadOrCreateNodeName(const QString &dataDir, QString *error);

} // namespace herald
