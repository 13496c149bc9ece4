#include "app/ServiceCommand.h"

#include <QTextStream>

namespace herald {

ServiceCommand::ServiceCommand(const ServerConfig &config, const QString &configFile, QTextStream &out, QTextStream &err)
    : m_config(config)
    , m_configFile(configFile)
    , m_out(out)
    , m_err(err)
{
}

int ServiceCommand::run(const QStringList &, const Serve &)
{
    m_err << "herald-server: 'service' manages the Windows service. Here systemd does that:\n"
             "  systemctl enable --now herald    (unit: herald.service; reload: systemctl reload herald)\n";
    return 2;
}

} // namespace herald
