#pragma once

#include "config/ConfigSection.h"

#include <QMap>

#include <QHash>
#include <QString>

namespace herald {

// Per-app settings from [app.NAME] sections: privacy level, what kind of news it brings, and the
// launch descriptor a tap on the push opens. Apps without a section get the defaults.
struct AppSettings
{
    QString name;
    QString privacy = QStringLiteral("summary"); // full | summary | generic | none | encrypted
    QString kind;                                 // mail | message (default: mail for "mail", else message)
    QString launchUri;                            // template with {app} and {id}
    QString rdpRemoteApp;                         // e.g. "||outlook": a RemoteApp program alias
    QString rdpHost;                              // full address for the .rdp body
    QString monitor;                              // "" (fed by POST /v1/events) or "imap.NAME"

    QString uriFor(const QString &notificationId) const;  // the launch URI (open's answer)
    // The "uri" a push carries: uriFor(), except at privacy "none" and "encrypted", where a push
    // must not even say which app it is about: then opaqueUri(), which the client resolves with
    // POST /v1/notifications/{id}/open over its authenticated channel.
    QString pushUriFor(const QString &notificationId) const;
    static QString opaqueUri(const QString &notificationId); // herald://n/{id}
    QString rdpFileFor(const QString &notificationId) const; // empty without rdp settings
};

class AppCatalog
{
public:
    // Reads every [app.*] section; false with a file:line message on a bad one.
    bool load(const QMap<QString, ConfigSection> &sections, QString *error);
    AppSettings settings(const QString &app) const;
    // Reload: takes each app's privacy level from `fresh` (apps it no longer names fall back to
    // the default). The other per-app settings wire up monitors and launchers at start, so they
    // change with a restart only. Returns the apps whose level changed.
    QStringList applyPrivacy(const AppCatalog &fresh);

private:
    QHash<QString, AppSettings> m_apps;
};

} // namespace herald
