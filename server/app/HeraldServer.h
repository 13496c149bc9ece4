#pragma once

#include "app/ServerConfig.h"
#include "http/TlsIdentity.h"

#include <QObject>

#include <memory>

namespace herald {

class DeviceAuthenticator;
class HttpServer;
class PasswordHasher;
class RegistrationApi;
class Storage;

// Wires the parts of a running server together: storage, TLS identity, the HTTPS listener and
// the APIs on it. Owns them all; stop() closes the listener and storage in order.
class HeraldServer : public QObject
{
    Q_OBJECT
public:
    explicit HeraldServer(const ServerConfig &config, QObject *parent = nullptr);
    ~HeraldServer() override;

    bool start(QString *error);
    void stop();

    quint16 port() const;
    const TlsIdentity &tls() const { return m_tls; }
    // Set on the very first start: the generated password of the `admin` console account.
    QString initialAdminPassword() const { return m_initialAdminPassword; }

private:
    bool bootstrapOperators(QString *error);
    void registerRoutes();

    ServerConfig m_config;
    TlsIdentity m_tls;
    std::unique_ptr<Storage> m_storage;
    std::unique_ptr<PasswordHasher> m_hasher;
    std::unique_ptr<DeviceAuthenticator> m_auth;
    HttpServer *m_http = nullptr;
    RegistrationApi *m_registration = nullptr;
    QString m_initialAdminPassword;
};

} // namespace herald
