#pragma once

#include <QString>

namespace herald {

// Where an app stands on one terminal right now, as far as the server can tell.
enum class Presence {
    Foreground, // the session is alive and says the app is on screen
    Background, // alive, app running but not shown (or its foreground claim went stale)
    Closed,     // alive, app not running (or never reported)
    Offline,    // no live session: closed, or silent for 2x heartbeat
};

inline QString presenceName(Presence p)
{
    switch (p) {
    case Presence::Foreground: return QStringLiteral("foreground");
    case Presence::Background: return QStringLiteral("background");
    case Presence::Closed: return QStringLiteral("closed");
    case Presence::Offline: break;
    }
    return QStringLiteral("offline");
}

} // namespace herald
