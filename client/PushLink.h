#pragma once

#include <QString>

namespace herald {

// The "uri" a push carries (docs/protocol.md, "Push payloads"): herald://open/{app}/{id} at the
// privacy levels that may name the app, the opaque herald://n/{id} at `none`. Either way a tap
// opens the notification by its id over the authenticated channel (HeraldClient::open), which
// answers the app and its real launch uri.
class PushLink
{
public:
    // The notification id in a push uri, or "" when `uri` is not one of the two forms (an app's
    // own launch_uri template, or anything malformed: the push's "nid" still names it).
    static QString notificationId(const QString &uri);
};

} // namespace herald
