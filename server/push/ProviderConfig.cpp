#include "push/ProviderConfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUrl>

namespace herald {

namespace {

class Reader
{
public:
    Reader(const QString &section, const QHash<QString, QString> &values, const QString &configFile)
        : m_section(section), m_values(values), m_configFile(configFile)
    {
    }

    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }
    void fail(const QString &key, const QString &why)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: [%2] %3: %4")
                          .arg(m_configFile.isEmpty() ? QStringLiteral("config") : m_configFile, m_section,
                               key, why);
    }
    QString value(const QString &key) const { return m_values.value(key).trimmed(); }
    bool has(const QString &key) const { return !value(key).isEmpty(); }
    QString required(const QString &key)
    {
        const QString v = value(key);
        if (v.isEmpty())
            fail(key, QStringLiteral("missing (required)"));
        return v;
    }
    int integer(const QString &key, int def, int min, int max)
    {
        if (!has(key))
            return def;
        bool ok = false;
        const int v = value(key).toInt(&ok);
        if (!ok || v < min || v > max) {
            fail(key, QStringLiteral("must be a whole number from %1 to %2, got \"%3\"")
                          .arg(min)
                          .arg(max)
                          .arg(value(key)));
            return def;
        }
        return v;
    }
    QString path(const QString &key) const
    {
        const QString v = value(key);
        if (v.isEmpty() || QDir::isAbsolutePath(v))
            return v;
        const QString base =
            m_configFile.isEmpty() ? QDir::currentPath() : QFileInfo(m_configFile).absolutePath();
        return QDir(base).filePath(v);
    }
    QByteArray file(const QString &key, qint64 maxBytes = 1 << 20)
    {
        const QString p = path(key);
        QFile f(p);
        if (!f.exists()) {
            fail(key, QStringLiteral("file %1 does not exist").arg(p));
            return {};
        }
        if (!f.open(QIODevice::ReadOnly)) {
            fail(key, QStringLiteral("cannot read %1: %2").arg(p, f.errorString()));
            return {};
        }
        if (f.size() > maxBytes) {
            fail(key, QStringLiteral("%1 is too large to be a key file").arg(p));
            return {};
        }
        return f.readAll();
    }
    void rejectUnknown(const QStringList &known)
    {
        const QSet<QString> k(known.begin(), known.end());
        for (auto it = m_values.cbegin(); it != m_values.cend(); ++it)
            if (!k.contains(it.key()))
                fail(it.key(),
                     QStringLiteral("unknown key (known: %1)").arg(known.join(QStringLiteral(", "))));
    }

private:
    QString m_section;
    QHash<QString, QString> m_values;
    QString m_configFile;
    QString m_error;
};

bool parseHostPort(const QString &text, QString *host, quint16 *port)
{
    const int colon = int(text.lastIndexOf(QLatin1Char(':')));
    if (colon < 0) {
        *host = text;
        return !text.isEmpty();
    }
    bool ok = false;
    const int p = text.mid(colon + 1).toInt(&ok);
    *host = text.left(colon);
    if (!ok || p < 1 || p > 65535 || host->isEmpty())
        return false;
    *port = quint16(p);
    return true;
}

void common(Reader &r, ProviderSettings &s)
{
    s.connections = r.integer(QStringLiteral("connections"), 1, 1, 32);
    s.maxOutstanding = r.integer(QStringLiteral("max_outstanding"), 2000, 1, 1000000);
    s.requestTimeoutSecs = r.integer(QStringLiteral("request_timeout"), 30, 1, 3600);
    if (r.has(QStringLiteral("ca_file"))) {
        const QByteArray pem = r.file(QStringLiteral("ca_file"));
        s.caCertificates = QSslCertificate::fromData(pem, QSsl::Pem);
        if (!r.failed() && s.caCertificates.isEmpty())
            r.fail(QStringLiteral("ca_file"),
                   QStringLiteral("no PEM certificate in %1").arg(r.path(QStringLiteral("ca_file"))));
    }
}

void parseApns(Reader &r, ProviderSettings &s)
{
    r.rejectUnknown({"type", "environment", "host", "port", "ca_file", "team_id", "key_id", "key_file",
                     "cert_file", "topic", "connections", "max_outstanding", "request_timeout"});
    const QString env = r.has(QStringLiteral("environment")) ? r.value(QStringLiteral("environment"))
                                                             : QStringLiteral("production");
    if (env != QLatin1String("sandbox") && env != QLatin1String("production"))
        r.fail(QStringLiteral("environment"),
               QStringLiteral("must be sandbox or production, got \"%1\"").arg(env));
    s.sandbox = env == QLatin1String("sandbox");
    s.host = r.has(QStringLiteral("host")) ? r.value(QStringLiteral("host"))
             : s.sandbox                   ? QStringLiteral("api.sandbox.push.apple.com")
                                           : QStringLiteral("api.push.apple.com");
    s.port = quint16(r.integer(QStringLiteral("port"), 443, 1, 65535));
    s.defaultTopic = r.value(QStringLiteral("topic"));
    common(r, s);
    if (r.has(QStringLiteral("cert_file"))) {
        s.apnsAuth = ProviderSettings::ApnsAuth::Certificate;
        const QByteArray certPem = r.file(QStringLiteral("cert_file"));
        const QByteArray keyPem = r.file(QStringLiteral("key_file"));
        if (r.failed())
            return;
        s.clientCertificate = QSslCertificate(certPem, QSsl::Pem);
        if (s.clientCertificate.isNull())
            r.fail(QStringLiteral("cert_file"),
                   QStringLiteral("no PEM certificate in %1").arg(r.path(QStringLiteral("cert_file"))));
        for (QSsl::KeyAlgorithm alg : {QSsl::Rsa, QSsl::Ec}) {
            s.clientKey = QSslKey(keyPem, alg, QSsl::Pem);
            if (!s.clientKey.isNull())
                break;
        }
        if (s.clientKey.isNull())
            r.fail(QStringLiteral("key_file"),
                   QStringLiteral("no unencrypted PEM RSA or EC private key in %1")
                       .arg(r.path(QStringLiteral("key_file"))));
        return;
    }
    s.apnsAuth = ProviderSettings::ApnsAuth::Token;
    s.teamId = r.required(QStringLiteral("team_id"));
    s.keyId = r.required(QStringLiteral("key_id"));
    if (!r.has(QStringLiteral("key_file"))) {
        r.required(QStringLiteral("key_file"));
        return;
    }
    const QByteArray p8 = r.file(QStringLiteral("key_file"));
    if (r.failed())
        return;
    QString why;
    s.signingKey = PrivateKey::fromPem(p8, &why);
    if (s.signingKey.isNull())
        r.fail(QStringLiteral("key_file"),
               QStringLiteral("%1: %2").arg(r.path(QStringLiteral("key_file")), why));
    else if (s.signingKey.kind() != PrivateKey::Kind::EcP256)
        r.fail(QStringLiteral("key_file"), QStringLiteral("%1 is not an EC P-256 key (APNs .p8 keys are)")
                                               .arg(r.path(QStringLiteral("key_file"))));
}

void parseFcm(Reader &r, ProviderSettings &s)
{
    r.rejectUnknown({"type", "service_account_file", "project_id", "endpoint", "ca_file", "connections",
                     "max_outstanding", "request_timeout"});
    s.host = QStringLiteral("fcm.googleapis.com");
    s.port = 443;
    if (r.has(QStringLiteral("endpoint")) &&
        !parseHostPort(r.value(QStringLiteral("endpoint")), &s.host, &s.port))
        r.fail(
            QStringLiteral("endpoint"),
            QStringLiteral("must be host or host:port, got \"%1\"").arg(r.value(QStringLiteral("endpoint"))));
    common(r, s);
    const QString key = QStringLiteral("service_account_file");
    if (!r.has(key)) {
        r.required(key);
        return;
    }
    const QByteArray json = r.file(key);
    if (r.failed())
        return;
    const QString file = r.path(key);
    QJsonParseError pe{};
    const QJsonObject o = QJsonDocument::fromJson(json, &pe).object();
    if (pe.error != QJsonParseError::NoError || o.isEmpty()) {
        r.fail(key, QStringLiteral("%1 is not JSON: %2").arg(file, pe.errorString()));
        return;
    }
    if (o.value(QStringLiteral("type")).toString() != QLatin1String("service_account")) {
        r.fail(key, QStringLiteral("%1 is not a service account file (\"type\" is not \"service_account\")")
                        .arg(file));
        return;
    }
    s.clientEmail = o.value(QStringLiteral("client_email")).toString();
    s.tokenUri = o.value(QStringLiteral("token_uri")).toString();
    s.projectId = r.has(QStringLiteral("project_id")) ? r.value(QStringLiteral("project_id"))
                                                      : o.value(QStringLiteral("project_id")).toString();
    if (s.clientEmail.isEmpty())
        r.fail(key, QStringLiteral("%1 has no client_email").arg(file));
    const QUrl tokenUrl(s.tokenUri);
    if (!tokenUrl.isValid() || tokenUrl.scheme() != QLatin1String("https") || tokenUrl.host().isEmpty())
        r.fail(key, QStringLiteral("%1 has no https token_uri").arg(file));
    if (s.projectId.isEmpty())
        r.fail(QStringLiteral("project_id"), QStringLiteral("missing, and %1 has none").arg(file));
    QString why;
    s.serviceAccountKey =
        PrivateKey::fromPem(o.value(QStringLiteral("private_key")).toString().toUtf8(), &why);
    if (s.serviceAccountKey.isNull())
        r.fail(key, QStringLiteral("%1: private_key: %2").arg(file, why));
    else if (s.serviceAccountKey.kind() != PrivateKey::Kind::Rsa)
        r.fail(key, QStringLiteral("%1: private_key is not an RSA key").arg(file));
}

void parseWebPush(Reader &r, ProviderSettings &s)
{
    r.rejectUnknown({"type", "vapid_key_file", "subject", "ttl", "ca_file", "connections", "max_outstanding",
                     "request_timeout"});
    s.host.clear(); // every subscription names its push service
    common(r, s);
    // RFC 8030's TTL; push services keep a message at most about four weeks anyway.
    s.webPushTtlSecs = r.integer(QStringLiteral("ttl"), 86400, 0, 28 * 86400);
    s.vapidSubject = r.required(QStringLiteral("subject"));
    const QUrl subject(s.vapidSubject, QUrl::StrictMode);
    if (!s.vapidSubject.isEmpty()
        && !(subject.isValid()
             && ((subject.scheme() == QLatin1String("mailto") && s.vapidSubject.contains(QLatin1Char('@')))
                 || (subject.scheme() == QLatin1String("https") && !subject.host().isEmpty()))))
        r.fail(QStringLiteral("subject"),
               QStringLiteral("must be a mailto: or https: URL (RFC 8292), got \"%1\"").arg(s.vapidSubject.left(80)));
    const QString key = QStringLiteral("vapid_key_file");
    if (!r.has(key)) {
        r.required(key);
        return;
    }
    const QByteArray pem = r.file(key);
    if (r.failed())
        return;
    QString why;
    s.vapidKey = PrivateKey::fromPem(pem, &why);
    if (s.vapidKey.isNull())
        r.fail(key, QStringLiteral("%1: %2").arg(r.path(key), why));
    else if (s.vapidKey.kind() != PrivateKey::Kind::EcP256)
        r.fail(key, QStringLiteral("%1 is not an EC P-256 key (VAPID keys are)").arg(r.path(key)));
}

} // namespace

std::optional<ProviderSettings> ProviderConfig::parse(const QString &section,
                                                      const QHash<QString, QString> &values,
                                                      const QString &configFile, QString *error)
{
    Reader r(section, values, configFile);
    ProviderSettings s;
    s.section = section;
    const QString type = r.required(QStringLiteral("type"));
    if (type == QLatin1String("apns")) {
        s.type = ProviderSettings::Type::Apns;
        parseApns(r, s);
    } else if (type == QLatin1String("fcm")) {
        s.type = ProviderSettings::Type::Fcm;
        parseFcm(r, s);
    } else if (type == QLatin1String("webpush")) {
        s.type = ProviderSettings::Type::WebPush;
        parseWebPush(r, s);
    } else if (!type.isEmpty()) {
        r.fail(QStringLiteral("type"), QStringLiteral("must be apns, fcm or webpush, got \"%1\"").arg(type));
    }
    if (r.failed()) {
        if (error)
            *error = r.error();
        return std::nullopt;
    }
    return s;
}

} // namespace herald
