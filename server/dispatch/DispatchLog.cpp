#include "dispatch/DispatchLog.h"

Q_LOGGING_CATEGORY(lcDispatch, "herald.dispatch", QtInfoMsg)
