#pragma once

#include <QLoggingCategory>

namespace herald {

// herald.client: connection life cycle and protocol trouble only. Notification titles, bodies,
// senders, passwords and tokens never go to this category (or any other).
Q_DECLARE_LOGGING_CATEGORY(lcClient)

} // namespace herald
