#pragma once

#include "HttpsClient.h"
#include "ServerProcess.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace herald {
class SessionChannel;
}

namespace herald::test {

// A running server with one account, one event source and helpers for the delivery tests:
// register devices, log in, post events, open session channels with herald-client, and read
// what the recording push provider sent.
class DeliveryFixture
{
public:
    explicit DeliveryFixture(const QStringList &serverArgs = {}, const QByteArray &configIni = {});
    ~DeliveryFixture();
    // Another node of `first`'s cluster: a data folder and listener of its own on `first`'s
    // database, so the same account and event source. PostgreSQL only (HERALD_TEST_ENGINE).
    static std::unique_ptr<DeliveryFixture> joining(const DeliveryFixture &first, const QStringList &serverArgs = {},
                                                    const QByteArray &configIni = {});

    bool start();
    bool restart(); // stop (SIGTERM) and start again on the same data folder
    ServerProcess &server() { return m_server; }
    const ServerProcess &server() const { return m_server; }
    HttpsClient &http() { return *m_http; }
    QString sourceToken() const { return m_sourceToken; }

    // Registers `deviceId` for the account (android, push token "push-<deviceId>") for `apps`.
    QString registerDevice(const QString &deviceId, const QStringList &apps = {QStringLiteral("mail")});
    bool login(const QString &deviceToken, const QStringList &apps = {QStringLiteral("mail")});
    // POST /v1/events; returns status, and the id in *id.
    int postEvent(const QString &eventId, QString *id = nullptr, const QString &app = QStringLiteral("mail"),
                  const QString &account = QStringLiteral("alice"));
    // A connected, welcomed session channel (owned by the caller).
    std::unique_ptr<SessionChannel> openSession(const QString &deviceToken, bool autoAck = true);
    // Waits until the server has handled every frame sent on `session` so far, and the session has
    // received every frame the server sent before that: pings go out and pongs come back in order
    // on one channel. Two pings, because a heartbeat ping may already be waiting for its pong.
    static bool caughtUp(SessionChannel &session, int timeoutMs = 5000);

    // Lines of <data>/pushes.jsonl, optionally only those for one notification id.
    QList<QJsonObject> pushes(const QString &notificationId = {}) const;
    // Delivery rows of a notification, read from the database: "<deviceId>:<state>:<channel>".
    QStringList deliveries(const QString &notificationId) const;

    static constexpr const char *Password = "alice-password";

private:
    ServerProcess m_server;
    QStringList m_args;
    QString m_configPath;
    std::unique_ptr<HttpsClient> m_http;
    QString m_sourceToken;
    bool m_joined = false;
};

} // namespace herald::test
