#pragma once

#include <QHash>
#include <QString>

#include <optional>

#include "push/ProviderSettings.h"

namespace herald {

// Turns one config section ([push.apns], [push.fcm], …) into ProviderSettings. Key files are read
// and parsed here, so a missing, unreadable or malformed one is a startup error naming the
// section, the key and the file — never a failed push hours later.
//
// APNs keys: type=apns, environment=sandbox|production, host, port, ca_file, team_id, key_id,
//   key_file (.p8; token auth) or cert_file + key_file (certificate auth), topic, connections,
//   max_outstanding, request_timeout.
// FCM keys: type=fcm, service_account_file, project_id (default: the file's), endpoint
//   (host[:port]), ca_file, connections, max_outstanding, request_timeout.
// Relative paths are resolved against the config file's folder.
class ProviderConfig
{
public:
    static std::optional<ProviderSettings> parse(const QString &section,
                                                 const QHash<QString, QString> &values,
                                                 const QString &configFile, QString *error);
};

} // namespace herald
