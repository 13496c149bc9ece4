#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include "H2Server.h"

namespace herald::standin {

// A local RFC 8030 push service (as a browser vendor runs one) over HTTP/2+TLS. Subscriptions
// live at /push/<id>. Every push must carry a VAPID (RFC 8292) `Authorization: vapid t=JWT,
// k=KEY`: the ES256 signature is verified with k, and aud (this service's origin), exp (in the
// future, at most 24 h ahead) and sub (mailto: or https:) are checked; a missing or malformed
// TTL, an unknown Urgency, a body without Content-Encoding: aes128gcm or over 4096 bytes are
// refused. A good push is answered 201 with a Location, and recorded with its exact body.
class WebPushStandin : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QByteArray certPem, keyPem;
        // The applicationServerKey the subscriptions were made with (65-byte point); when set,
        // a push signed with another key is 403, as push services do. Empty: any verified key.
        QByteArray subscriptionKey;
    };
    struct Behaviour
    {
        int status = 201; // e.g. 410 (unsubscribed), 404 (expired), 429, 503
        int times = -1;   // how many answers; -1 = always
        int retryAfterSecs = -1;
    };
    struct Record
    {
        QString subscription; // the <id> of /push/<id>
        QByteArray authorization;
        QJsonObject claims; // of the VAPID JWT (when it was well-formed)
        QByteArray vapidKey; // k, decoded
        QByteArray ttl, urgency, contentEncoding, topic;
        QByteArray body;
        int status = 0;
        QString reason; // why it was refused; empty for 201
    };

    explicit WebPushStandin(const Options &options, QObject *parent = nullptr);
    bool listen(quint16 port = 0);
    quint16 port() const { return m_server.serverPort(); }
    QString origin() const; // https://127.0.0.1:PORT, what aud must say
    QString endpoint(const QString &subscription) const { return origin() + QStringLiteral("/push/") + subscription; }
    void setBehaviour(const QString &subscription, const Behaviour &behaviour);
    const QList<Record> &records() const { return m_records; }
    // The VAPID check every push goes through: empty when `authorization` is a valid
    // "vapid t=JWT, k=KEY" for this service, else why not; fills the record's claims and key.
    QString verifyVapid(const QByteArray &authorization, Record *record) const;

signals:
    void answered(const herald::standin::WebPushStandin::Record &record);

private:
    void onRequest(H2ServerConnection *connection, const StandinRequest &request);
    StandinResponse evaluate(const StandinRequest &request, Record *record);

    Options m_options;
    H2Server m_server;
    QHash<QString, Behaviour> m_behaviours;
    QList<Record> m_records;
};

} // namespace herald::standin
