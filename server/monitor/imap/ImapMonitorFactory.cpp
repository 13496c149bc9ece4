#include "ImapMonitorFactory.h"

#include "ImapMonitor.h"

namespace herald {

Monitor *ImapMonitorFactory::create(const MonitorContext &context, QObject *parent) const
{
    return new ImapMonitor(m_settings, context, parent);
}

} // namespace herald
