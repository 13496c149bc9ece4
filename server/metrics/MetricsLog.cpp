#include "metrics/MetricsLog.h"

Q_LOGGING_CATEGORY(lcMetrics, "herald.metrics", QtInfoMsg)
