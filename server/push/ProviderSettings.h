#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

#include "crypto/PrivateKey.h"

namespace herald {

// Everything a push provider needs, parsed and validated from one config section
// (ProviderConfig::parse), with key files already loaded so a bad file fails at startup.
struct ProviderSettings
{
    enum class Type
    {
        Apns,
        Fcm,
        WebPush
    };
    enum class ApnsAuth
    {
        Token,
        Certificate
    };

    QString section; // "push.apns", for messages
    Type type = Type::Apns;
    QString host; // provider endpoint
    quint16 port = 443;
    QList<QSslCertificate> caCertificates; // empty: the system's trust store
    int connections = 1;
    int maxOutstanding = 2000; // back-pressure threshold (queued + in flight)
    int requestTimeoutSecs = 30;

    // APNs
    ApnsAuth apnsAuth = ApnsAuth::Token;
    bool sandbox = false;
    QString teamId;
    QString keyId;
    PrivateKey signingKey;             // token auth (.p8)
    QSslCertificate clientCertificate; // certificate auth
    QSslKey clientKey;
    QString defaultTopic;

    // FCM
    QString projectId;
    QString clientEmail;
    QString tokenUri;
    PrivateKey serviceAccountKey;

    // Web Push (host and port come from each subscription's endpoint)
    PrivateKey vapidKey;     // EC P-256, RFC 8292
    QString vapidSubject;    // "mailto:…" or "https://…": who push services contact about us
    int webPushTtlSecs = 86400; // TTL header when a notification has no expiry (and its upper bound)
};

} // namespace herald
