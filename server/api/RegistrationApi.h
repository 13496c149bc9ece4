#pragma once

#include "api/DeviceAuthenticator.h"
#include "http/HttpResponse.h"
#include "storage/Records.h"

#include <QObject>

namespace herald {

class PasswordHasher;
class PasswordWorkPool;
class RequestLimiter;
class Router;
class Storage;
struct HttpRequest;

// POST /v1/register and DELETE /v1/register (PROTOCOL.md, terminal API).
class RegistrationApi : public QObject
{
    Q_OBJECT
public:
    // `hasher` only makes the dummy hash at start; every check of a request runs on `pool`.
    RegistrationApi(Storage &storage, const PasswordHasher &hasher, PasswordWorkPool &pool,
                    const DeviceAuthenticator &auth, QObject *parent = nullptr);
    void registerRoutes(Router &router);
    // Holds failed password checks per account to the limiter's rate; without one, no limit.
    void setLimiter(RequestLimiter *limiter) { m_limiter = limiter; }

signals:
    // A device was forgotten; live sessions authenticated by its token must end.
    void deviceRemoved(qint64 deviceRowId);
    // A device re-registered: its old token no longer works.
    void deviceTokenReplaced(qint64 deviceRowId);
    // A registration named an unknown user or a wrong password (for the per-account limit).
    void credentialsRefused(const QString &username);

private:
    HttpResponse registerDevice(const HttpRequest &request);
    HttpResponse unregisterDevice(const HttpRequest &request);
    HttpResponse unregisterAs(const DeviceAuthenticator::Result &auth);
    // After the password check: reads the account again and the device's earlier registration
    // off the event loop, then stores the device (storeRegistration).
    HttpResponse finishRegistration(const QString &username, bool passwordOk, const QString &peer,
                                    const DeviceRecord &record);
    HttpResponse storeRegistration(const QString &username, bool passwordOk, const QString &peer,
                                   const std::optional<AccountRecord> &account,
                                   const std::optional<DeviceRecord> &previous, DeviceRecord record);
    HttpResponse busy() const;
    static QByteArray accountKey(const QString &username);
    void refundAccount(const QString &username);

    Storage &m_storage;
    PasswordWorkPool &m_pool;
    RequestLimiter *m_limiter = nullptr;
    const DeviceAuthenticator &m_auth;
    QString m_dummyHash; // verified against for unknown users, so timing does not reveal who exists
};

} // namespace herald
