#include "dispatch/AppSettings.h"

#include "protocol/TerminalApi.h"

#include <algorithm>

#include <QRegularExpression>
#include <QUrl>

namespace herald {

namespace {

// Ids and app names are nearly always unreserved characters already; every push asks for this.
QString percentEncoded(const QString &s)
{
    const bool plain = std::all_of(s.cbegin(), s.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-' ||
               c == u'.' || c == u'_' || c == u'~';
    });
    return plain ? s : QString::fromLatin1(QUrl::toPercentEncoding(s));
}

} // namespace

QString AppSettings::uriFor(const QString &notificationId) const
{
    if (launchUri.isEmpty()) // the default template, herald://open/{app}/{id}, put together directly
        return QStringLiteral("herald://open/") + percentEncoded(name) + QLatin1Char('/') + percentEncoded(notificationId);
    QString uri = launchUri;
    uri.replace(QLatin1String("{app}"), percentEncoded(name));
    uri.replace(QLatin1String("{id}"), percentEncoded(notificationId));
    return uri;
}

QString AppSettings::pushUriFor(const QString &notificationId) const
{
    if (privacy == QLatin1String("none") || privacy == QLatin1String("encrypted"))
        return opaqueUri(notificationId);
    return uriFor(notificationId);
}

QString AppSettings::opaqueUri(const QString &notificationId)
{
    return QStringLiteral("herald://n/") + percentEncoded(notificationId);
}

QString AppSettings::rdpFileFor(const QString &notificationId) const
{
    if (rdpRemoteApp.isEmpty() || rdpHost.isEmpty())
        return {};
    // The subset of .rdp settings a RemoteApp launch needs; the client adds the user's own.
    return QStringLiteral("full address:s:%1\r\nremoteapplicationmode:i:1\r\nremoteapplicationprogram:s:%2\r\n"
                          "remoteapplicationname:s:%3\r\nremoteapplicationcmdline:s:/herald-notification %4\r\n")
        .arg(rdpHost, rdpRemoteApp, name, notificationId);
}

bool AppCatalog::load(const QMap<QString, ConfigSection> &sections, QString *error)
{
    static const QRegularExpression hostRe(QStringLiteral("^[A-Za-z0-9.:\\[\\]-]{1,255}\\z"));
    static const QRegularExpression aliasRe(QStringLiteral("^\\|\\|[A-Za-z0-9_.-]{1,64}\\z"));
    const QStringList privacies{QStringLiteral("full"), QStringLiteral("summary"), QStringLiteral("generic"),
                                QStringLiteral("none"), QStringLiteral("encrypted")};
    for (const ConfigSection &section : sections) {
        if (!section.name.startsWith(QLatin1String("app.")))
            continue;
        AppSettings app;
        app.name = section.name.mid(4);
        if (!protocol::isAppName(app.name)) {
            *error = QStringLiteral("%1: [%2]: app names are lower-case letters, digits, . _ -")
                         .arg(section.fileName, section.name);
            return false;
        }
        for (auto it = section.values.cbegin(); it != section.values.cend(); ++it) {
            const QString &key = it.key();
            const QString &value = it.value();
            if (key == QLatin1String("privacy")) {
                if (!privacies.contains(value)) {
                    *error = section.where(key) + QStringLiteral(": '%1' is not one of: %2").arg(value.left(40), privacies.join(QStringLiteral(", ")));
                    return false;
                }
                app.privacy = value;
            } else if (key == QLatin1String("kind")) {
                if (value != QLatin1String("mail") && value != QLatin1String("message")) {
                    *error = section.where(key) + QStringLiteral(": '%1' is not one of: mail, message").arg(value.left(40));
                    return false;
                }
                app.kind = value;
            } else if (key == QLatin1String("launch_uri")) {
                const QUrl url(QString(value).replace(QLatin1String("{app}"), QLatin1String("a")).replace(QLatin1String("{id}"), QLatin1String("b")), QUrl::StrictMode);
                if (!url.isValid() || url.scheme().isEmpty()) {
                    *error = section.where(key) + QStringLiteral(": not an absolute URI");
                    return false;
                }
                app.launchUri = value;
            } else if (key == QLatin1String("rdp_remoteapp")) {
                if (!aliasRe.match(value).hasMatch()) {
                    *error = section.where(key) + QStringLiteral(": expected a RemoteApp alias like ||outlook");
                    return false;
                }
                app.rdpRemoteApp = value;
            } else if (key == QLatin1String("rdp_host")) {
                if (!hostRe.match(value).hasMatch()) {
                    *error = section.where(key) + QStringLiteral(": not a host name or address");
                    return false;
                }
                app.rdpHost = value;
            } else if (key == QLatin1String("monitor")) {
                if (!value.isEmpty() && !sections.contains(value)) {
                    *error = section.where(key) + QStringLiteral(": no section [%1]").arg(value.left(64));
                    return false;
                }
                app.monitor = value;
            } else {
                *error = section.where(key) + QStringLiteral(": unknown setting");
                return false;
            }
        }
        m_apps.insert(app.name, app);
    }
    return true;
}

AppSettings AppCatalog::settings(const QString &app) const
{
    AppSettings s = m_apps.value(app);
    s.name = app;
    if (s.kind.isEmpty())
        s.kind = app == QLatin1String("mail") ? QStringLiteral("mail") : QStringLiteral("message");
    return s;
}

} // namespace herald

namespace herald {

QStringList AppCatalog::applyPrivacy(const AppCatalog &fresh)
{
    QStringList changed;
    for (auto it = m_apps.begin(); it != m_apps.end(); ++it) {
        const QString level = fresh.m_apps.contains(it.key()) ? fresh.m_apps.value(it.key()).privacy : AppSettings().privacy;
        if (it->privacy != level) {
            it->privacy = level;
            changed << it.key();
        }
    }
    for (auto it = fresh.m_apps.cbegin(); it != fresh.m_apps.cend(); ++it) {
        if (m_apps.contains(it.key()))
            continue;
        AppSettings added;
        added.name = it.key();
        added.privacy = it->privacy;
        if (added.privacy != AppSettings().privacy)
            changed << it.key();
        m_apps.insert(it.key(), added);
    }
    return changed;
}

} // namespace herald
