#include "app/AppLog.h"
#include "app/CommandLine.h"
#include "app/ConfigLoader.h"
#include "app/Daemon.h"
#include "app/HeraldServer.h"
#include "app/Logging.h"
#include "app/SignalWatcher.h"
#include "app/SourceCommand.h"
#include "app/UserCommand.h"

#include "HeraldVersion.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTextStream>

using namespace herald;

namespace {

int serve(const ServerConfig &config, bool foreground, QTextStream &out, QTextStream &err)
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
    QObject::connect(&signalWatcher, &SignalWatcher::terminateRequested, qApp, [](int sig) {
        qCInfo(lcApp) << "signal" << sig << "received, shutting down";
        QCoreApplication::quit();
    });
    const int rc = QCoreApplication::exec();
    server.stop();
    if (!pidFile.isEmpty())
        QFile::remove(pidFile);
    qCInfo(lcApp) << "stopped";
    return rc;
}

} // namespace

int main(int argc, char **argv)
{
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
        err << "herald-server: unknown command '" << sub.first().left(64) << "'\nTry 'herald-server --help'.\n";
        return 2;
    }
    return serve(config, commandLine.foreground, out, err);
}
