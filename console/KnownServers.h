#pragma once

#include <QByteArray>
#include <QUrl>

namespace herald {

// The fingerprints of self-signed server certificates the operator accepted, one per server
// (scheme, host and port), kept in QSettings like SSH's known_hosts. Fingerprints are public;
// nothing secret is stored here.
class KnownServers
{
public:
    static QByteArray pinFor(const QUrl &server);
    static void remember(const QUrl &server, const QByteArray &sha256);
    static void forget(const QUrl &server);

private:
    static QString key(const QUrl &server);
};

} // namespace herald
