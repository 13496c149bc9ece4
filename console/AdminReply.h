#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QSslCertificate>
#include <QString>

namespace herald {

// One finished admin API call as the pages see it: the status, the JSON body, and, for a failure,
// the API's error code and a message fit to show (the server's own, or a network/TLS reason).
struct AdminReply
{
    int status = 0; // 0: no HTTP answer (network or TLS failure)
    QJsonObject object;
    QString errorCode; // the API's code, or untrusted_certificate / certificate_changed / network_error
    QString errorMessage;
    // For untrusted_certificate and certificate_changed: what the server presented.
    QSslCertificate certificate;

    bool ok() const { return status >= 200 && status < 300; }
    QJsonArray array(const QString &key) const { return object.value(key).toArray(); }
};

} // namespace herald
