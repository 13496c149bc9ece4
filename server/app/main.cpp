#include "app/AppLog.h"
#include "app/CommandLine.h"
#include "app/ConfigLoader.h"
#include "app/Daemon.h"
#include "app/HeraldServer.h"
#include "app/Logging.h"
#include "app/ServiceCommand.h"
#include "app/SignalWatcher.h"
#include "app/SourceCommand.h"
#include "app/SystemdNotifier.h"
#include "app/UserCommand.h"
#include "push/ProviderConfig.h"
#include "push/ProviderFactory.h"
#ifdef Q_OS_LINUX
#include "timing/EpollEventDispatcher.h"
#endif

#include "HeraldVersion.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTextStream>

#include <cerrno>
#include <cstdio>
#include <cstring>

using namespace herald;

namespace {

// SIGHUP (systemctl reload): the configuration is read again as at start; log rules, the TLS
// certificate and per-app privacy levels take effect, everything else waits for a restart. A file
// that does not load leaves the running configuration as it is.
void reload(const CommandLine &commandLine, HeraldServer &server, ServiceStatus &status)
{
    status.reloading();
    qCInfo(lcApp) << "reloading the configuration";
    ConfigLoader loader;
    ServerConfig fresh;
    if (!loader.load(commandLine.configFile, commandLine.values, QProcessEnvironment::systemEnvironment(), &fresh)) {
        qCWarning(lcApp).noquote() << "configuration not reloaded, the running one stays:" << loader.errorString();
    } else {
        Logging::applyRules(fresh.logRules);
        const QStringList problems = server.reload(fresh);
        qCInfo(lcApp) << "reload done" << (problems.isEmpty() ? "" : "with problems (see above)");
    }
    status.ready(QStringLiteral("reloaded"));
}

int serve(const ServerConfig &config, const CommandLine &commandLine, bool foreground, QTextStream &out,
          QTextStream &err, ServiceStatus &status)
{
    if (!foreground) {
        QString error;
        if (!QDir().mkpath(config.dataDir)) {
            err << "herald-server: cannot create the data folder " << config.dataDir << "\n";
            return 1;
        }
        if (!Daemon::detach(QDir(config.dataDir).filePath(QStringLiteral("herald.log")), &error)) {
            err << "herald-server: " << error << "\n";
            return 1;
        }
    }
    SignalWatcher signalWatcher;
    HeraldServer server(config);
    QString error;
    if (!server.start(&error)) {
        qCCritical(lcApp).noquote() << error;
        Daemon::reportFailure(error);
        if (foreground)
            err << "herald-server: " << error << Qt::endl;
        return 1;
    }
    const QString pidFile = !config.pidFile.isEmpty() ? config.pidFile
                            : foreground ? QString()
                                         : QDir(config.dataDir).filePath(QStringLiteral("herald.pid"));
    if (!pidFile.isEmpty() && !Daemon::writePidFile(pidFile, &error)) {
        qCCritical(lcApp).noquote() << error;
        Daemon::reportFailure(error);
        return 1;
    }
    if (!server.initialAdminPassword().isEmpty() && foreground)
        out << "Console account 'admin' created with password: " << server.initialAdminPassword()
            << "\n(shown once; also in " << QDir(config.dataDir).filePath(QStringLiteral("initial-admin-password"))
            << ")" << Qt::endl;
    Daemon::reportReady();
    status.ready(QStringLiteral("listening on port %1").arg(server.port()));
    QObject::connect(&signalWatcher, &SignalWatcher::terminateRequested, qApp, [&status](int sig) {
        qCInfo(lcApp) << "signal" << sig << "received, shutting down";
        status.stopping();
        QCoreApplication::quit();
    });
    QObject::connect(&signalWatcher, &SignalWatcher::reloadRequested, qApp,
                     [&] { reload(commandLine, server, status); });
    const int rc = QCoreApplication::exec();
    server.stop();
    if (!pidFile.isEmpty())
        QFile::remove(pidFile);
    qCInfo(lcApp) << "stopped";
    return rc;
}

// `herald-server provider test SECTION TOKEN`: one push through a configured provider, and its verdict.
int runProviderTest(const ServerConfig &config, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.size() != 3 || args.at(0) != QLatin1String("test")) {
        err << "usage: herald-server provider test SECTION DEVICE_TOKEN   (SECTION e.g. push.apns)\n";
        return 2;
    }
    const auto section = config.sections.constFind(args.at(1));
    if (section == config.sections.constEnd() || !args.at(1).startsWith(QLatin1String("push."))) {
        err << "error: no section [" << args.at(1).left(64) << "] in the configuration"
            << (config.configFile.isEmpty() ? " (no --config given)" : "") << "\n";
        return 2;
    }
    QString error;
    const auto settings = ProviderConfig::parse(section->name, section->values, section->fileName, &error);
    if (!settings) {
        err << "error: " << error << "\n";
        return 2;
    }
    return ProviderFactory::runProviderTest(*settings, args.at(2), out);
}

} // namespace

int main(int argc, char **argv)
{
    // Qt's glib event dispatcher walks linked lists of socket notifiers and timers; with thousands
    // of sessions that ate the CPU (bench/README.md, "Sessions"). The plain UNIX one scales.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
#ifdef Q_OS_LINUX
    // And the UNIX one still polls every descriptor on every pass: with 19 000 sessions that was
    // most of the server's CPU. The main thread runs on epoll unless HERALD_EVENT_DISPATCHER=qt.
    const QByteArray dispatcher = qgetenv("HERALD_EVENT_DISPATCHER");
    if (dispatcher.isEmpty() || dispatcher == "epoll") {
        auto *epoll = new EpollEventDispatcher;
        if (epoll->isValid()) {
            QCoreApplication::setEventDispatcher(epoll);
        } else {
            std::fprintf(stderr, "herald-server: epoll is not available (%s); using Qt's event dispatcher\n",
                         std::strerror(errno));
            delete epoll;
        }
    } else if (dispatcher != "qt") {
        std::fprintf(stderr, "herald-server: HERALD_EVENT_DISPATCHER must be 'epoll' or 'qt', not '%s'\n",
                     dispatcher.left(64).constData());
        return 2;
    }
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("herald-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION_STRING));
    QTextStream out(stdout);
    QTextStream err(stderr);

    CommandLine commandLine;
    QString error;
    if (!commandLine.parse(QCoreApplication::arguments(), &error)) {
        err << "herald-server: " << error << "\nTry 'herald-server --help'.\n";
        return 2;
    }
    if (commandLine.action == CommandLine::Action::Help) {
        out << commandLine.helpText;
        return 0;
    }
    if (commandLine.action == CommandLine::Action::Version) {
        out << "herald-server " << HERALD_VERSION_STRING << "\n";
        return 0;
    }
    ConfigLoader loader;
    ServerConfig config;
    if (!loader.load(commandLine.configFile, commandLine.values, QProcessEnvironment::systemEnvironment(), &config)) {
        err << "herald-server: " << loader.errorString() << "\n";
        return 2;
    }
    Logging::setup(config.logRules);

    if (commandLine.action == CommandLine::Action::Subcommand) {
        const QStringList &sub = commandLine.subcommand;
        QFile in;
        in.open(stdin, QIODevice::ReadOnly);
        if (sub.first() == QLatin1String("user"))
            return UserCommand(config, out, err, in).run(sub.mid(1));
        if (sub.first() == QLatin1String("source"))
            return SourceCommand(config, out, err).run(sub.mid(1));
        if (sub.first() == QLatin1String("provider"))
            return runProviderTest(config, sub.mid(1), out, err);
        if (sub.first() == QLatin1String("service"))
            return ServiceCommand(config, commandLine.configFile, out, err)
                .run(sub.mid(1), [&](ServiceStatus &status) { return serve(config, commandLine, true, out, err, status); });
        err << "herald-server: unknown command '" << sub.first().left(64) << "'\nTry 'herald-server --help'.\n";
        return 2;
    }
    SystemdNotifier systemd;
    return serve(config, commandLine, commandLine.foreground, out, err, systemd);
}
