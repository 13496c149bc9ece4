#pragma once

#include <QDateTime>
#include <QString>

namespace herald {

// Where one (account, app) monitor stands, as the console and POST /v1/login report it.
struct MonitorStatus
{
    qint64 accountId = 0;
    QString account;
    QString app;
    QString monitor; // the [section] it runs from, e.g. "imap.corp"
    QString state;   // starting | watching | failing | stopped
    // Why it is failing, for machines: auth_failed | connection_failed | monitor_failed |
    // monitor_unavailable | credentials_unreadable; empty otherwise.
    QString reasonCode;
    QString reason; // the same for people (never message contents); empty unless failing
    QDateTime since; // when it entered this state

    bool settled() const { return state != QLatin1String("starting"); }
};

} // namespace herald
