#pragma once

#include <QStringList>

#include <memory>

class QTextStream;

namespace herald {

class Storage;
struct ServerConfig;

// `herald-server source add|list|revoke`. add creates an event source for POST /v1/events (or, with
// --kind presence, a gateway's source for POST /v1/presence) and prints its bearer token — alone, on standard output, so scripts can capture it; it is shown only
// once. revoke refuses the token from then on (a running server included) but keeps the row, so
// the history of its events still names it.
class SourceCommand
{
public:
    SourceCommand(const ServerConfig &config, QTextStream &out, QTextStream &err);
    int run(const QStringList &args); // args without the leading "source"

private:
    int add(Storage &storage, const QString &name, const QString &kind);
    int list(Storage &storage);
    int revoke(Storage &storage, const QString &name);
    int usage();

    const ServerConfig &m_config;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace herald
