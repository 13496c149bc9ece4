#include "ImapSettings.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QSet>

namespace herald {

namespace {
const QSet<QString> &knownKeys()
{
    static const QSet<QString> keys{
        QStringLiteral("host"),          QStringLiteral("port"),
        QStringLiteral("security"),      QStringLiteral("ca_file"),
        QStringLiteral("mailboxes"),     QStringLiteral("master_user"),
        QStringLiteral("master_password_file"), QStringLiteral("master_separator"),
        QStringLiteral("idle_refresh_secs"), QStringLiteral("dead_after_secs"),
        QStringLiteral("excerpt_bytes"), QStringLiteral("backoff_min_ms"),
        QStringLiteral("backoff_max_secs"), QStringLiteral("poll_secs"),
    };
    return keys;
}

class SectionReader
{
public:
    SectionReader(const QHash<QString, QString> &values, const QString &section, const QString &file,
                  QString *error)
        : m_values(values), m_section(section), m_file(file), m_error(error)
    {
    }

    bool fail(const QString &key, const QString &what)
    {
        *m_error = QStringLiteral("%1: [%2] %3: %4").arg(m_file, m_section, key, what);
        return false;
    }
    QString text(const QString &key) const { return m_values.value(key).trimmed(); }
    bool has(const QString &key) const { return !text(key).isEmpty(); }

    bool integer(const QString &key, int min, int max, int *out)
    {
        if (!has(key))
            return true;
        bool ok = false;
        const int v = text(key).toInt(&ok);
        if (!ok || v < min || v > max)
            return fail(key, QStringLiteral("must be a whole number from %1 to %2, not \"%3\"")
                                 .arg(min)
                                 .arg(max)
                                 .arg(text(key)));
        *out = v;
        return true;
    }

private:
    const QHash<QString, QString> &m_values;
    QString m_section;
    QString m_file;
    QString *m_error;
};
} // namespace

bool ImapSettings::isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
}

std::optional<ImapSettings> ImapSettings::fromSection(const QHash<QString, QString> &values, const QString &section,
                                                      const QString &fileName, QString *error)
{
    SectionReader r(values, section, fileName, error);
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (!knownKeys().contains(it.key())) {
            r.fail(it.key(), QStringLiteral("unknown key"));
            return std::nullopt;
        }
    }

    ImapSettings s;
    s.host = r.text(QStringLiteral("host"));
    if (s.host.isEmpty() || s.host.contains(QLatin1Char(' '))) {
        r.fail(QStringLiteral("host"), QStringLiteral("a host name or address is required"));
        return std::nullopt;
    }

    const QString security = r.text(QStringLiteral("security")).toLower();
    if (security.isEmpty() || security == QLatin1String("tls")) {
        s.security = Security::Tls;
    } else if (security == QLatin1String("starttls")) {
        s.security = Security::StartTls;
    } else if (security == QLatin1String("plain")) {
        s.security = Security::Plain;
        // Passwords and mail must never cross a network in clear text; loopback is the one exception
        // (a local Dovecot, or a TLS-terminating proxy on the same host).
        if (!isLoopbackHost(s.host)) {
            r.fail(QStringLiteral("security"),
                   QStringLiteral("\"plain\" is only allowed for a loopback host, not %1; use tls or starttls")
                       .arg(s.host));
            return std::nullopt;
        }
    } else {
        r.fail(QStringLiteral("security"), QStringLiteral("must be tls, starttls or plain, not \"%1\"").arg(security));
        return std::nullopt;
    }
    int port = s.security == Security::Tls ? 993 : 143;
    if (!r.integer(QStringLiteral("port"), 1, 65535, &port))
        return std::nullopt;
    s.port = quint16(port);

    s.caFile = r.text(QStringLiteral("ca_file"));
    if (!s.caFile.isEmpty() && !QFileInfo(s.caFile).isReadable()) {
        r.fail(QStringLiteral("ca_file"), QStringLiteral("cannot read %1").arg(s.caFile));
        return std::nullopt;
    }

    if (r.has(QStringLiteral("mailboxes"))) {
        s.mailboxes.clear();
        const QStringList parts = r.text(QStringLiteral("mailboxes")).split(QLatin1Char(','));
        for (const QString &part : parts) {
            const QString name = part.trimmed();
            if (name.isEmpty()) {
                r.fail(QStringLiteral("mailboxes"), QStringLiteral("empty mailbox name in the list"));
                return std::nullopt;
            }
            if (name.contains(QLatin1Char('\r')) || name.contains(QLatin1Char('\n')) || name.contains(QLatin1Char('*'))
                || name.contains(QLatin1Char('%'))) {
                r.fail(QStringLiteral("mailboxes"), QStringLiteral("invalid mailbox name \"%1\"").arg(name));
                return std::nullopt;
            }
            const QString normal =
                name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0 ? QStringLiteral("INBOX") : name;
            if (!s.mailboxes.contains(normal))
                s.mailboxes.append(normal);
        }
    }

    s.masterUser = r.text(QStringLiteral("master_user"));
    const QString passwordFile = r.text(QStringLiteral("master_password_file"));
    if (s.masterUser.isEmpty() != passwordFile.isEmpty()) {
        r.fail(s.masterUser.isEmpty() ? QStringLiteral("master_user") : QStringLiteral("master_password_file"),
               QStringLiteral("master_user and master_password_file go together"));
        return std::nullopt;
    }
    if (r.has(QStringLiteral("master_separator")))
        s.masterSeparator = r.text(QStringLiteral("master_separator"));
    if (!passwordFile.isEmpty()) {
        QFile file(passwordFile);
        const QFileInfo info(passwordFile);
        if (!info.isFile() || !file.open(QIODevice::ReadOnly)) {
            r.fail(QStringLiteral("master_password_file"), QStringLiteral("cannot read %1").arg(passwordFile));
            return std::nullopt;
        }
        if (info.permissions() & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther)) {
            r.fail(QStringLiteral("master_password_file"),
                   QStringLiteral("%1 is accessible by group or others; chmod 600 it").arg(passwordFile));
            return std::nullopt;
        }
        QByteArray password = file.read(4097);
        while (password.endsWith('\n') || password.endsWith('\r'))
            password.chop(1);
        if (password.isEmpty() || password.size() > 4096 || password.contains('\n') || password.contains('\0')) {
            r.fail(QStringLiteral("master_password_file"),
                   QStringLiteral("%1 must hold one password on one line").arg(passwordFile));
            return std::nullopt;
        }
        s.masterPassword = QString::fromUtf8(password);
    }

    // 29 min is the RFC 2177 ceiling before a server may drop an idle client.
    if (!r.integer(QStringLiteral("idle_refresh_secs"), 1, 29 * 60, &s.idleRefreshSecs)
        || !r.integer(QStringLiteral("dead_after_secs"), 1, 3600, &s.deadAfterSecs)
        || !r.integer(QStringLiteral("excerpt_bytes"), 0, 64 * 1024, &s.excerptBytes)
        || !r.integer(QStringLiteral("backoff_min_ms"), 1, 600 * 1000, &s.backoffMinMs)
        || !r.integer(QStringLiteral("backoff_max_secs"), 1, 24 * 3600, &s.backoffMaxSecs)
        || !r.integer(QStringLiteral("poll_secs"), 1, 24 * 3600, &s.pollSecs))
        return std::nullopt;
    if (s.backoffMaxSecs * 1000 < s.backoffMinMs) {
        r.fail(QStringLiteral("backoff_max_secs"), QStringLiteral("must not be below backoff_min_ms"));
        return std::nullopt;
    }
    return s;
}

} // namespace herald
