#pragma once

#include <QStringList>

#include <functional>

class QTextStream;

namespace herald {

class ServiceStatus;
struct ServerConfig;

// `herald-server service install|uninstall|start|stop|status|run`: the Windows service. `run` is
// the command line the SCM starts; it serves through `serve` with the SCM as its ServiceStatus.
// On other systems every verb explains that systemd (the unit in resources/systemd) does this.
class ServiceCommand
{
public:
    using Serve = std::function<int(ServiceStatus &status)>;

    ServiceCommand(const ServerConfig &config, const QString &configFile, QTextStream &out, QTextStream &err);
    int run(const QStringList &args, const Serve &serve);

private:
    const ServerConfig &m_config;
    QString m_configFile;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace herald
