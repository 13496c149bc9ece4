#pragma once

#include "AdminReply.h"
#include "ServerTrust.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkReply;

namespace herald {

// The console's only way to the server: the admin API over HTTPS with the trust the operator chose,
// carrying the session token from POST /admin/v1/login. Calls are asynchronous; each callback runs
// once, on the GUI thread.
class AdminClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const AdminReply &reply)>;

    explicit AdminClient(QObject *parent = nullptr);

    void setServer(const QUrl &baseUrl, const ServerTrust &trust);
    ServerTrust trust() const { return m_trust; }
    // `context` guards the callback: it is dropped if context is gone when the answer comes.
    void login(const QString &username, const QString &password, QObject *context, Callback done);
    // Ends the session on the server; `done` runs when the server answered (or failed).
    void logout(std::function<void()> done = {});

    void get(const QString &path, QObject *context, Callback done);
    void post(const QString &path, const QJsonObject &body, QObject *context, Callback done);
    void remove(const QString &path, QObject *context, Callback done);

    bool isLoggedIn() const { return !m_token.isEmpty(); }
    bool isAdmin() const { return m_role == QLatin1String("admin"); }
    QString role() const { return m_role; }
    QString operatorName() const { return m_operator; }
    QUrl baseUrl() const { return m_baseUrl; }
    QString token() const { return m_token; }
    bool isBusy() const { return m_inFlight > 0; }

    static QString encode(const QString &pathSegment);

signals:
    // The token expired or was revoked: the console must log in again.
    void sessionEnded(const QString &message);
    // True while at least one call is waiting for its answer (drives the progress indicator).
    void busyChanged(bool busy);

private:
    void send(const QByteArray &method, const QString &path, const QByteArray &body, QObject *context,
              Callback done);
    void checkPeer(QNetworkReply *reply);
    AdminReply finish(QNetworkReply *reply);

    QNetworkAccessManager m_nam;
    QUrl m_baseUrl;
    ServerTrust m_trust;
    QString m_token;
    QString m_role;
    QString m_operator;
    QDateTime m_expiresAt;
    int m_inFlight = 0;
};

} // namespace herald
