#pragma once

#include "ImapSettings.h"
#include "monitor/Monitor.h"

#include <QObject>
#include <QString>

namespace herald {

// Creates the IMAP monitors of one configured mail server ([imap] section) for the login trigger.
// The monitors are returned unstarted; the caller wires their signals and calls start().
class ImapMonitorFactory
{
public:
    explicit ImapMonitorFactory(const ImapSettings &settings) : m_settings(settings) {}

    Monitor *create(const MonitorContext &context, QObject *parent = nullptr) const;
    const ImapSettings &settings() const { return m_settings; }

private:
    ImapSettings m_settings;
};

} // namespace herald
