#include "app/CommandLine.h"

#include "app/ConfigLoader.h"

#include <QCommandLineParser>

namespace herald {

bool CommandLine::parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Herald: tells people about new mail and messages in their remote apps, in-band when the app is\n"
        "on screen and by push otherwise.\n\n"
        "Commands (default: run the server):\n"
        "  user add NAME        create a terminal account (password from stdin or prompt)\n"
        "  user passwd NAME     set a new password\n"
        "  user disable NAME    refuse logins and registrations for the account\n"
        "  user enable NAME     allow them again\n"
        "  user list            list accounts\n"
        "  source add NAME [--kind events|presence]\n"
        "                       create a source; prints its token for POST /v1/events (events, the\n"
        "                       default) or for a gateway's POST /v1/presence (presence)\n"
        "  source list          list event sources (name, kind, created, revoked)\n"
        "  source revoke NAME   refuse the source's token from now on\n"
        "  provider test SECTION TOKEN  send one push through [SECTION] and print the verdict\n"
        "  service install|uninstall|start|stop|status  the Windows service (elsewhere: systemd)\n\n"
        "Signals: SIGTERM/SIGINT stop the server, SIGHUP reloads certificate, log rules and privacy.\n\n"
        "Every option can also be set in the config file or as HERALD_<OPTION> in the environment;\n"
        "the command line wins over the environment, which wins over the file."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
    const QCommandLineOption config(QStringLiteral("config"), QStringLiteral("INI configuration file (HERALD_CONFIG)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption foregroundOption(
        QStringLiteral("foreground"), QStringLiteral("Stay in the foreground and log to stderr (for service managers)."));
    parser.addOption(help);
    parser.addOption(version);
    parser.addOption(config);
    parser.addOption(foregroundOption);
    const QCommandLineOption kind(QStringLiteral("kind"), QStringLiteral("With source add: events (default) or presence."),
                                  QStringLiteral("KIND"));
    parser.addOption(kind);
    QList<QCommandLineOption> configOptions;
    for (const ConfigOption &option : ConfigLoader::options()) {
        configOptions.append(QCommandLineOption(option.cliName,
                                                option.description + QStringLiteral(" (%1)").arg(option.envName()),
                                                option.valueName));
        parser.addOption(configOptions.last());
    }
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("Optional command, see above."),
                                 QStringLiteral("[command...]"));
    helpText = parser.helpText();

    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return false;
    }
    if (parser.isSet(help)) {
        action = Action::Help;
        return true;
    }
    if (parser.isSet(version)) {
        action = Action::Version;
        return true;
    }
    for (const QCommandLineOption &option : configOptions) {
        const QString name = option.names().constFirst();
        if (parser.values(option).size() > 1) {
            *error = QStringLiteral("--%1 given more than once").arg(name);
            return false;
        }
        if (parser.isSet(option))
            values.insert(name, parser.value(option));
    }
    if (parser.values(config).size() > 1) {
        *error = QStringLiteral("--config given more than once");
        return false;
    }
    configFile = parser.value(config);
    foreground = parser.isSet(foregroundOption);
    subcommand = parser.positionalArguments();
    if (parser.isSet(kind)) {
        // An option of one command only; the command reads it in its own words.
        if (parser.values(kind).size() > 1 || subcommand.value(0) != QLatin1String("source") ||
            subcommand.value(1) != QLatin1String("add")) {
            *error = QStringLiteral("--kind goes with source add, once");
            return false;
        }
        subcommand.append(QStringLiteral("--kind=") + parser.value(kind));
    }
    action = subcommand.isEmpty() ? Action::Serve : Action::Subcommand;
    return true;
}

} // namespace herald
