#include "app/HeraldServer.h"

#include "api/DeviceAuthenticator.h"
#include "api/RegistrationApi.h"
#include "app/AppLog.h"
#include "app/StorageFactory.h"
#include "http/HttpServer.h"
#include "registry/PasswordHasher.h"
#include "storage/Storage.h"
#include "util/RandomToken.h"

#include <QDir>
#include <QSaveFile>

namespace herald {

HeraldServer::HeraldServer(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
}

HeraldServer::~HeraldServer()
{
    stop();
}

bool HeraldServer::start(QString *error)
{
    m_storage = openStorage(m_config, error);
    if (!m_storage)
        return false;
    m_hasher = std::make_unique<PasswordHasher>(m_config.kdfMemoryKib, m_config.kdfIterations);
    m_auth = std::make_unique<DeviceAuthenticator>(*m_storage);
    if (!bootstrapOperators(error))
        return false;

    const bool tlsOk = m_config.tlsCertFile.isEmpty()
                           ? m_tls.loadOrCreateSelfSigned(m_config.dataDir, error)
                           : m_tls.loadFiles(m_config.tlsCertFile, m_config.tlsKeyFile, error);
    if (!tlsOk)
        return false;
    qCInfo(lcApp).noquote() << "TLS certificate" << m_tls.certificatePath() << "SHA-256 fingerprint"
                            << m_tls.fingerprint();

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(m_tls.chain());
    tls.setPrivateKey(m_tls.key());
    HttpLimits limits;
    limits.maxBodyBytes = m_config.maxBodyBytes;
    m_http = new HttpServer(tls, limits, this);
    registerRoutes();
    if (!m_http->listen(m_config.listenAddress, m_config.listenPort)) {
        *error = QStringLiteral("cannot listen on %1: %2").arg(m_config.listenString(), m_http->errorString());
        return false;
    }
    ServerConfig actual = m_config;
    actual.listenPort = m_http->serverPort();
    qCInfo(lcApp).noquote() << "listening on https://" + actual.listenString();
    return true;
}

void HeraldServer::registerRoutes()
{
    Router &router = m_http->router();
    router.add("GET", QStringLiteral("/healthz"), [this](const HttpRequest &) {
        // Healthy means the database answers, not merely that the process is alive.
        if (m_storage->schemaVersion() <= 0)
            return HttpResponse::error(protocol::ApiError{503, QStringLiteral("unavailable"),
                                                          QStringLiteral("storage is not available")});
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
    });
    m_registration = new RegistrationApi(*m_storage, *m_hasher, *m_auth, this);
    m_registration->registerRoutes(router);
}

bool HeraldServer::bootstrapOperators(QString *error)
{
    const auto count = m_storage->operatorCount();
    if (!count) {
        *error = QStringLiteral("cannot read console accounts: %1").arg(m_storage->lastError());
        return false;
    }
    if (*count > 0)
        return true;
    m_initialAdminPassword = RandomToken::urlSafe(18);
    if (!m_storage->createOperator(QStringLiteral("admin"), m_hasher->hash(m_initialAdminPassword),
                                   QStringLiteral("admin"))) {
        *error = QStringLiteral("cannot create the admin console account: %1").arg(m_storage->lastError());
        return false;
    }
    // Shown once: on stdout for whoever started the server, and in an owner-only file for a daemon.
    const QString path = QDir(m_config.dataDir).filePath(QStringLiteral("initial-admin-password"));
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(m_initialAdminPassword.toUtf8() + '\n');
        file.commit();
    }
    qCInfo(lcApp).noquote() << "created the console account 'admin'; its password is in" << path;
    return true;
}

void HeraldServer::stop()
{
    if (m_http) {
        m_http->close();
        delete m_http;
        m_http = nullptr;
    }
    if (m_storage)
        m_storage->close();
}

quint16 HeraldServer::port() const
{
    return m_http ? m_http->serverPort() : 0;
}

} // namespace herald
