#include "http/HttpLog.h"

Q_LOGGING_CATEGORY(lcHttp, "herald.http", QtInfoMsg)
