#pragma once

#include <QHostAddress>
#include <QString>

namespace herald {

// [metrics]: GET /metrics is off unless enabled; on the main listener unless `separate`.
struct MetricsSettings
{
    bool enabled = false;
    bool separate = false;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0;
    QString token; // empty: no bearer token asked
};

} // namespace herald
