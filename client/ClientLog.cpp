#include "ClientLog.h"

namespace herald {

Q_LOGGING_CATEGORY(lcClient, "herald.client", QtInfoMsg)

} // namespace herald
