#include "app/ServiceCommand.h"

#include "app/ServerConfig.h"
#include "app/SignalWatcher.h"
#include "app/WindowsServiceStatus.h"
#include "winservice/WindowsServiceControl.h"
#include "winservice/WindowsServiceHost.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>

#include <csignal>

namespace herald {
namespace {
const std::wstring ServiceName = L"Herald";
constexpr unsigned TimeoutMs = 60000;

QString quoted(const QString &arg)
{
    return QLatin1Char('"') + arg + QLatin1Char('"');
}
} // namespace

ServiceCommand::ServiceCommand(const ServerConfig &config, const QString &configFile, QTextStream &out, QTextStream &err)
    : m_config(config)
    , m_configFile(configFile)
    , m_out(out)
    , m_err(err)
{
}

int ServiceCommand::run(const QStringList &args, const Serve &serve)
{
    const QString verb = args.value(0);
    if (args.size() != 1) {
        m_err << "usage: herald-server [--config FILE] [--data-dir DIR] service install|uninstall|start|stop|status\n";
        return 2;
    }
    if (verb == QLatin1String("run")) {
        std::string error;
        // A stop or shutdown from the SCM takes SIGTERM's path: the watcher's orderly shutdown.
        const auto how = win::WindowsServiceHost::connect(
            ServiceName, [] { SignalWatcher::requestTerminateOfCurrent(SIGTERM); }, &error);
        if (how == win::WindowsServiceHost::Connect::NotAService) {
            m_err << "herald-server: 'service run' is what the service manager starts; "
                     "from a console use --foreground\n";
            return 2;
        }
        if (how == win::WindowsServiceHost::Connect::Failed) {
            m_err << "herald-server: " << QString::fromStdString(error) << "\n";
            return 1;
        }
        WindowsServiceStatus status;
        const int rc = serve(status);
        win::WindowsServiceHost::reportStopped(rc);
        return rc;
    }
    win::WindowsServiceControl::Result result;
    if (verb == QLatin1String("install")) {
        // The service starts with what was given here: the config file and the data folder.
        QString commandLine = quoted(QDir::toNativeSeparators(QCoreApplication::applicationFilePath()));
        if (!m_configFile.isEmpty())
            commandLine += QStringLiteral(" --config ") + quoted(QDir::toNativeSeparators(QFileInfo(m_configFile).absoluteFilePath()));
        commandLine += QStringLiteral(" --data-dir ") + quoted(QDir::toNativeSeparators(m_config.dataDir));
        commandLine += QStringLiteral(" service run");
        result = win::WindowsServiceControl::install(ServiceName, L"Herald notification server", commandLine.toStdWString(),
                                                     L"Tells people about new mail and messages in remote apps.");
    } else if (verb == QLatin1String("uninstall")) {
        result = win::WindowsServiceControl::uninstall(ServiceName, TimeoutMs);
    } else if (verb == QLatin1String("start")) {
        result = win::WindowsServiceControl::start(ServiceName, TimeoutMs);
    } else if (verb == QLatin1String("stop")) {
        result = win::WindowsServiceControl::stop(ServiceName, TimeoutMs);
    } else if (verb == QLatin1String("status")) {
        result = win::WindowsServiceControl::status(ServiceName);
    } else {
        m_err << "herald-server: unknown service command '" << verb.left(32) << "'\n";
        return 2;
    }
    (result.ok ? m_out : m_err) << QString::fromStdString(result.message) << "\n";
    return result.ok ? 0 : 1;
}

} // namespace herald
