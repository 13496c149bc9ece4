#pragma once

#include <QLoggingCategory>

namespace herald {
// Account names and UIDs at most: never passwords, subjects, senders or bodies.
Q_DECLARE_LOGGING_CATEGORY(lcImapLifecycle)
Q_DECLARE_LOGGING_CATEGORY(lcImapProtocol)
} // namespace herald
