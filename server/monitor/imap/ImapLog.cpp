#include "ImapLog.h"

namespace herald {
Q_LOGGING_CATEGORY(lcImapLifecycle, "herald.monitor", QtInfoMsg)
Q_LOGGING_CATEGORY(lcImapProtocol, "herald.monitor.imap", QtInfoMsg)
} // namespace herald
