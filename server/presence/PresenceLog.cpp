#include "presence/PresenceLog.h"

Q_LOGGING_CATEGORY(lcPresence, "herald.presence", QtInfoMsg)
