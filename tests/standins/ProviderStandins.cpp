#include "ProviderStandins.h"

#include "TestPki.h"

#include <QFile>

namespace herald::standin {
namespace {

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

ProviderStandins::ProviderStandins() = default;
ProviderStandins::~ProviderStandins() = default;

bool ProviderStandins::start()
{
    const TestPki::Certificate tls = TestPki::selfSigned();
    const QByteArray p8 = TestPki::ecP256PrivateKey();
    const QByteArray rsa = TestPki::rsaPrivateKey();
    m_apnsOptions.certPem = tls.certPem;
    m_apnsOptions.keyPem = tls.keyPem;
    m_apnsOptions.tokenPublicKeyPem = TestPki::publicKeyOf(p8);
    m_apnsOptions.topics = {QString::fromLatin1(Topic)};
    m_apns = std::make_unique<ApnsStandin>(m_apnsOptions);
    FcmStandin::Options fcm;
    fcm.certPem = tls.certPem;
    fcm.keyPem = tls.keyPem;
    fcm.serviceAccountPublicKeyPem = TestPki::publicKeyOf(rsa);
    m_fcm = std::make_unique<FcmStandin>(fcm);
    return m_apns->listen() && m_fcm->listen() && writeFile(m_dir.filePath(QStringLiteral("ca.pem")), tls.certPem) &&
           writeFile(m_dir.filePath(QStringLiteral("AuthKey.p8")), p8) &&
           writeFile(m_dir.filePath(QStringLiteral("service-account.json")), m_fcm->serviceAccountJson(rsa));
}

QByteArray ProviderStandins::configIni() const
{
    return QStringLiteral("[push.apns]\ntype = apns\nhost = 127.0.0.1\nport = %1\nca_file = %2\n"
                          "team_id = %3\nkey_id = %4\nkey_file = %5\ntopic = %6\n\n"
                          "[push.fcm]\ntype = fcm\nendpoint = 127.0.0.1:%7\nca_file = %2\nservice_account_file = %8\n\n")
        .arg(m_apns->port())
        .arg(m_dir.filePath(QStringLiteral("ca.pem")), m_apnsOptions.teamId, m_apnsOptions.keyId,
             m_dir.filePath(QStringLiteral("AuthKey.p8")), QString::fromLatin1(Topic))
        .arg(m_fcm->port())
        .arg(m_dir.filePath(QStringLiteral("service-account.json")))
        .toUtf8();
}

} // namespace herald::standin
