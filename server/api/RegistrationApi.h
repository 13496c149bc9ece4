#pragma once

#include "http/HttpResponse.h"

#include <QObject>

namespace herald {

class DeviceAuthenticator;
class PasswordHasher;
class Router;
class Storage;
struct HttpRequest;

// POST /v1/register and DELETE /v1/register (PROTOCOL.md, terminal API).
class RegistrationApi : public QObject
{
    Q_OBJECT
public:
    RegistrationApi(Storage &storage, const PasswordHasher &hasher, const DeviceAuthenticator &auth,
                    QObject *parent = nullptr);
    void registerRoutes(Router &router);

signals:
    // A device was forgotten; live sessions authenticated by its token must end.
    void deviceRemoved(qint64 deviceRowId);
    // A device re-registered: its old token no longer works.
    void deviceTokenReplaced(qint64 deviceRowId);

private:
    HttpResponse registerDevice(const HttpRequest &request);
    HttpResponse unregisterDevice(const HttpRequest &request);

    Storage &m_storage;
    const PasswordHasher &m_hasher;
    const DeviceAuthenticator &m_auth;
    QString m_dummyHash; // verified against for unknown users, so timing does not reveal who exists
};

} // namespace herald
