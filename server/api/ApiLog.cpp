#include "api/ApiLog.h"

Q_LOGGING_CATEGORY(lcApi, "herald.api", QtInfoMsg)
