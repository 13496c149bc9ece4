#include "TermCommandLine.h"

#include "PushLink.h"

#include "TlsTrust.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QUrl>

namespace herald::term {

namespace {

struct CommandName
{
    const char *name;
    Command command;
};

constexpr CommandName Commands[] = {
    {"register", Command::Register},
    {"unregister", Command::Unregister},
    {"login", Command::Login},
    {"logout", Command::Logout},
    {"notifications", Command::Notifications},
    {"open", Command::Open},
    {"session", Command::Session},
    {"presence", Command::Presence},
    {"decrypt", Command::Decrypt},
    {"push", Command::Push},
    {"help", Command::Help},
    {"version", Command::Version},
};

QString commandName(Command command)
{
    for (const CommandName &entry : Commands) {
        if (entry.command == command)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

bool isGlobalOption(const QString &name)
{
    static const QStringList names{QStringLiteral("server"),     QStringLiteral("cacert"),
                                   QStringLiteral("pin-sha256"), QStringLiteral("state"),
                                   QStringLiteral("state-file"), QStringLiteral("timeout")};
    return names.contains(name);
}

// Options of each command, and whether they take a value.
struct OptionSpec
{
    Command command;
    const char *name;
    bool takesValue;
};

constexpr OptionSpec CommandOptions[] = {
    {Command::Register, "device-id", true},     {Command::Register, "platform", true},
    {Command::Register, "push-token", true},    {Command::Register, "push-topic", true},
    {Command::Register, "locale", true},        {Command::Register, "name", true},
    {Command::Register, "apps", true},          {Command::Register, "password-stdin", false},
    {Command::Register, "push-key", false},
    {Command::Login, "credentials-json", true}, {Command::Notifications, "state", true},
    {Command::Session, "foreground", true},     {Command::Session, "background", true},
    {Command::Session, "closed", true},         {Command::Session, "no-ack", false},
    {Command::Session, "duration", true},       {Command::Session, "reconnect", false},
    {Command::Presence, "device", true},        {Command::Presence, "ttl", true},
    {Command::Presence, "source-token", true},
};

const OptionSpec *findCommandOption(Command command, const QString &name)
{
    for (const OptionSpec &spec : CommandOptions) {
        if (spec.command == command && name == QLatin1String(spec.name))
            return &spec;
    }
    return nullptr;
}

bool parsePositiveInt(const QString &text, int max, int *out)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value <= 0 || value > max)
        return false;
    *out = value;
    return true;
}

// Free-form single-line values (device id, push token, names) must not smuggle control characters.
bool hasControlCharacters(const QString &value)
{
    return std::any_of(value.begin(), value.end(),
                       [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
}

} // namespace

TermCommandLine::TermCommandLine(const QProcessEnvironment &environment) : m_environment(environment) {}

bool TermCommandLine::fail(const QString &message)
{
    m_error = message;
    return false;
}

QString TermCommandLine::usage()
{
    return QStringLiteral(
        "Usage: herald-term [global options] <command> [arguments] [options]\n"
        "\n"
        "A Herald terminal simulator: registers a device, triggers monitoring, lists and opens\n"
        "notifications, and holds a session channel that prints each frame as a JSON line.\n"
        "\n"
        "Global options (before or after the command):\n"
        "  --server URL          Herald server (default https://localhost:7443, env HERALD_SERVER;\n"
        "                        after register, the server saved in the state file)\n"
        "  --cacert FILE         trust only the CA certificate(s) in FILE (PEM or DER)\n"
        "  --pin-sha256 HEX      trust the server certificate with this SHA-256 fingerprint\n"
        "  --state FILE          where the device token is kept (default ./herald-term.json,\n"
        "                        env HERALD_TERM_STATE); use --state-file after 'notifications'\n"
        "  --state-file FILE     the same as --state, usable everywhere\n"
        "  --timeout SECS        per-request timeout (default 30)\n"
        "  -h, --help            this text;  --version  the version\n"
        "\n"
        "Commands:\n"
        "  register USER --device-id ID --platform ios|android|web|desktop --push-token TOKEN\n"
        "           [--push-topic T] [--locale L] [--name N] [--apps mail,im] [--password-stdin]\n"
        "           [--push-key]\n"
        "      The password is read from stdin when it is not a terminal, else prompted for.\n"
        "      --push-key makes a P-256 key and auth secret for end-to-end encrypted pushes (privacy\n"
        "      level encrypted): the public half is registered, the private half kept in the state file.\n"
        "  unregister\n"
        "  login APP [APP...] [--credentials-json JSON]\n"
        "      JSON is an object sent as the credentials of every APP named.\n"
        "  logout [APP...]            (no APP: every app)\n"
        "  notifications [--state unread]\n"
        "  open ID|URI\n"
        "  session [--foreground APP]... [--background APP]... [--closed APP]... [--no-ack]\n"
        "          [--duration SECS] [--reconnect]\n"
        "      Prints every frame from the server as one JSON line on stdout. Reads commands on\n"
        "      stdin: 'state APP foreground|background|closed', 'ack ID', 'ping', 'quit'.\n"
        "  decrypt [FILE]\n"
        "      Opens an encrypted push (APNs payload, FCM message or data, Web Push body, or the\n"
        "      base64url blob; FILE or stdin) with the state file's push key; prints its content.\n"
        "  push [FILE]\n"
        "      Reads a push from Herald as APNs or FCM delivered it (FILE or stdin) and prints what it\n"
        "      asks as one JSON line: a notification to show, or a clear (after an open elsewhere:\n"
        "      the tray entries to drop and the new badge). Sealed content is opened with the push key.\n"
        "  presence ACCOUNT APP foreground|background|closed|disconnected [--device ID]\n"
        "           [--ttl SECS] [--source-token TOKEN]\n"
        "      Plays a remote-app gateway: reports which app is in the foreground of the account's\n"
        "      remote session (or on one device) with a presence source's token (env\n"
        "      HERALD_SOURCE_TOKEN; made by 'herald-server source add NAME --kind presence').\n"
        "\n"
        "Exit status: 0 success, 1 server or API error (\"error: <code>: <message>\" on stderr),\n"
        "2 usage error.\n");
}

bool TermCommandLine::checkAppName(const QString &app, QString *error)
{
    // The server's own rule (protocol::isAppName): a name it would refuse is refused here, before
    // anything is sent.
    if (protocol::isAppName(app))
        return true;
    *error = app.isEmpty() ? QStringLiteral("app name must not be empty")
                           : QStringLiteral("invalid app name \"%1\": %2").arg(app.left(80), protocol::appNameProblem(app));
    return false;
}

bool TermCommandLine::takeValue(const QStringList &arguments, int *index, const QString &option,
                                const QString &inlineValue, bool hasInline, QString *value)
{
    if (hasInline) {
        *value = inlineValue;
    } else {
        if (*index + 1 >= arguments.size())
            return fail(QStringLiteral("option --%1 needs a value").arg(option));
        const QString next = arguments.at(*index + 1);
        // "--server --cacert x" is a forgotten value, not a server named "--cacert".
        if (next.startsWith(QLatin1String("--")))
            return fail(QStringLiteral("option --%1 needs a value, got option %2").arg(option, next));
        *value = next;
        ++*index;
    }
    if (value->isEmpty())
        return fail(QStringLiteral("option --%1 needs a non-empty value").arg(option));
    return true;
}

bool TermCommandLine::applyGlobal(const QString &option, const QString &value)
{
    Invocation &inv = m_invocation;
    if (option == QLatin1String("server")) {
        const QUrl url(value, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
            return fail(
                QStringLiteral("--server must be an https:// URL such as https://herald.example:7443, "
                               "got \"%1\"")
                    .arg(value));
        }
        inv.server = value;
        inv.serverGiven = true;
    } else if (option == QLatin1String("cacert")) {
        inv.caCertFile = value;
    } else if (option == QLatin1String("pin-sha256")) {
        TlsTrust probe;
        QString error;
        if (!probe.setPinnedSha256(value, &error))
            return fail(QStringLiteral("--pin-sha256: %1").arg(error));
        inv.pinSha256 = value;
    } else if (option == QLatin1String("state") || option == QLatin1String("state-file")) {
        inv.stateFile = value;
    } else if (option == QLatin1String("timeout")) {
        if (!parsePositiveInt(value, 3600, &inv.timeoutSeconds))
            return fail(
                QStringLiteral("--timeout must be a whole number of seconds from 1 to 3600, got \"%1\"")
                    .arg(value));
    }
    return true;
}

bool TermCommandLine::parseAppList(const QString &option, const QString &value, QStringList *out)
{
    for (const QString &part : value.split(QLatin1Char(','))) {
        const QString app = part.trimmed();
        QString error;
        if (!checkAppName(app, &error))
            return fail(QStringLiteral("--%1: %2").arg(option, error));
        if (!out->contains(app))
            out->append(app);
    }
    return true;
}

bool TermCommandLine::addSessionState(const QString &app, protocol::UiState ui, const QString &option)
{
    QString error;
    if (!checkAppName(app, &error))
        return fail(QStringLiteral("--%1: %2").arg(option, error));
    for (const auto &entry : std::as_const(m_invocation.initialStates)) {
        if (entry.first == app)
            return fail(QStringLiteral("--%1: app \"%2\" is given more than one state").arg(option, app));
    }
    m_invocation.initialStates.append({app, ui});
    return true;
}

bool TermCommandLine::parse(const QStringList &arguments)
{
    m_invocation = Invocation{};
    m_error.clear();
    m_invocation.server = m_environment.value(QStringLiteral("HERALD_SERVER"));
    m_invocation.serverGiven = !m_invocation.server.isEmpty();
    m_invocation.stateFile =
        m_environment.value(QStringLiteral("HERALD_TERM_STATE"), QString::fromLatin1(DefaultStateFile));
    if (m_invocation.serverGiven && !applyGlobal(QStringLiteral("server"), m_invocation.server))
        return fail(QStringLiteral("HERALD_SERVER: %1").arg(m_error));

    bool haveCommand = false;
    bool endOfOptions = false;
    QStringList positionals;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString argument = arguments.at(i);
        if (endOfOptions || !argument.startsWith(QLatin1Char('-')) || argument == QLatin1String("-")) {
            if (haveCommand) {
                positionals << argument;
                continue;
            }
            bool known = false;
            for (const CommandName &entry : Commands) {
                if (argument == QLatin1String(entry.name)) {
                    m_invocation.command = entry.command;
                    known = true;
                }
            }
            if (!known)
                return fail(QStringLiteral("unknown command \"%1\" (see herald-term --help)").arg(argument));
            haveCommand = true;
            continue;
        }
        if (argument == QLatin1String("--")) {
            endOfOptions = true;
            continue;
        }
        if (argument == QLatin1String("-h") || argument == QLatin1String("--help")) {
            m_invocation.command = Command::Help;
            return true;
        }
        if (argument == QLatin1String("--version")) {
            m_invocation.command = Command::Version;
            return true;
        }
        if (!argument.startsWith(QLatin1String("--")))
            return fail(QStringLiteral("unknown option \"%1\" (options are spelled --name)").arg(argument));

        QString name = argument.mid(2);
        QString inlineValue;
        const qsizetype equals = name.indexOf(QLatin1Char('='));
        const bool hasInline = equals >= 0;
        if (hasInline) {
            inlineValue = name.mid(equals + 1);
            name.truncate(equals);
        }

        const OptionSpec *spec = haveCommand ? findCommandOption(m_invocation.command, name) : nullptr;
        // After "notifications", --state is the filter; the state file is then --state-file.
        if (!spec && isGlobalOption(name)) {
            QString value;
            if (!takeValue(arguments, &i, name, inlineValue, hasInline, &value) || !applyGlobal(name, value))
                return false;
            continue;
        }
        if (!spec) {
            return fail(
                haveCommand
                    ? QStringLiteral("unknown option --%1 for command \"%2\"")
                          .arg(name, commandName(m_invocation.command))
                    : QStringLiteral("unknown option --%1 (command options follow the command)").arg(name));
        }
        QString value;
        if (spec->takesValue) {
            if (!takeValue(arguments, &i, name, inlineValue, hasInline, &value))
                return false;
        } else if (hasInline) {
            return fail(QStringLiteral("option --%1 takes no value").arg(name));
        }

        Invocation &inv = m_invocation;
        if (name == QLatin1String("device-id")) {
            inv.device.id = value;
        } else if (name == QLatin1String("platform")) {
            if (!protocol::isKnownPlatform(value))
                return fail(
                    QStringLiteral("--platform must be ios, android, web or desktop, got \"%1\"").arg(value));
            inv.device.platform = value;
        } else if (name == QLatin1String("push-token")) {
            inv.device.pushToken = value;
        } else if (name == QLatin1String("push-topic")) {
            inv.device.pushTopic = value;
        } else if (name == QLatin1String("locale")) {
            inv.device.locale = value;
        } else if (name == QLatin1String("name")) {
            inv.device.name = value;
        } else if (name == QLatin1String("apps")) {
            if (!parseAppList(name, value, &inv.apps))
                return false;
        } else if (name == QLatin1String("password-stdin")) {
            inv.passwordFromStdin = true;
        } else if (name == QLatin1String("push-key")) {
            inv.pushKey = true;
        } else if (name == QLatin1String("credentials-json")) {
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(value.toUtf8(), &error);
            if (error.error != QJsonParseError::NoError)
                return fail(
                    QStringLiteral("--credentials-json is not valid JSON: %1").arg(error.errorString()));
            if (!document.isObject())
                return fail(QStringLiteral("--credentials-json must be a JSON object"));
            inv.credentials = document.object();
            inv.hasCredentials = true;
        } else if (name == QLatin1String("state")) {
            if (hasControlCharacters(value) || value.contains(QLatin1Char(' ')))
                return fail(QStringLiteral("--state must be a single word such as unread"));
            inv.notificationState = value;
        } else if (name == QLatin1String("foreground")) {
            if (!addSessionState(value, protocol::UiState::Foreground, name))
                return false;
        } else if (name == QLatin1String("background")) {
            if (!addSessionState(value, protocol::UiState::Background, name))
                return false;
        } else if (name == QLatin1String("closed")) {
            if (!addSessionState(value, protocol::UiState::Closed, name))
                return false;
        } else if (name == QLatin1String("no-ack")) {
            inv.noAck = true;
        } else if (name == QLatin1String("reconnect")) {
            inv.reconnect = true;
        } else if (name == QLatin1String("device")) {
            if (value.size() > 128 || hasControlCharacters(value) || value.contains(QLatin1Char(' ')))
                return fail(QStringLiteral("--device must be a device id: 1-128 characters, no spaces"));
            inv.presenceDevice = value;
        } else if (name == QLatin1String("ttl")) {
            if (!parsePositiveInt(value, 3600, &inv.presenceTtlSecs))
                return fail(QStringLiteral("--ttl must be a whole number of seconds from 1 to 3600, got \"%1\"").arg(value));
        } else if (name == QLatin1String("source-token")) {
            inv.sourceToken = value;
        } else if (name == QLatin1String("duration")) {
            if (!parsePositiveInt(value, 7 * 24 * 3600, &inv.durationSeconds))
                return fail(QStringLiteral("--duration must be a whole number of seconds from 1 to 604800, "
                                           "got \"%1\"")
                                .arg(value));
        }
    }
    if (!haveCommand)
        return fail(QStringLiteral("no command given (see herald-term --help)"));
    return finish(positionals);
}

bool TermCommandLine::finish(const QStringList &positionals)
{
    Invocation &inv = m_invocation;
    const QString command = commandName(inv.command);
    const auto noArguments = [&] {
        if (positionals.isEmpty())
            return true;
        return fail(QStringLiteral("%1 takes no arguments, got \"%2\"").arg(command, positionals.first()));
    };
    if (inv.server.isEmpty())
        inv.serverGiven = false;

    switch (inv.command) {
    case Command::Register: {
        if (positionals.size() != 1)
            return fail(
                positionals.isEmpty()
                    ? QStringLiteral("register needs the USER name")
                    : QStringLiteral("register takes one USER, got \"%1\" as well").arg(positionals.at(1)));
        inv.username = positionals.first();
        if (inv.username.trimmed().isEmpty() || hasControlCharacters(inv.username))
            return fail(QStringLiteral("register: USER must be a non-empty name without control characters"));
        QStringList missing;
        if (inv.device.id.isEmpty())
            missing << QStringLiteral("--device-id");
        if (inv.device.platform.isEmpty())
            missing << QStringLiteral("--platform");
        if (inv.device.pushToken.isEmpty())
            missing << QStringLiteral("--push-token");
        if (!missing.isEmpty())
            return fail(QStringLiteral("register needs %1").arg(missing.join(QStringLiteral(", "))));
        for (const QString &value : {inv.device.id, inv.device.pushToken, inv.device.pushTopic,
                                     inv.device.locale, inv.device.name}) {
            if (hasControlCharacters(value))
                return fail(QStringLiteral("register: device values must not contain control characters"));
        }
        return true;
    }
    case Command::Login:
        if (positionals.isEmpty())
            return fail(QStringLiteral("login needs at least one APP"));
        for (const QString &app : positionals) {
            QString error;
            if (!checkAppName(app, &error))
                return fail(QStringLiteral("login: %1").arg(error));
            if (!inv.loginApps.contains(app))
                inv.loginApps << app;
        }
        return true;
    case Command::Logout:
        for (const QString &app : positionals) {
            QString error;
            if (!checkAppName(app, &error))
                return fail(QStringLiteral("logout: %1").arg(error));
            if (!inv.loginApps.contains(app))
                inv.loginApps << app;
        }
        return true;
    case Command::Open:
        if (positionals.size() != 1)
            return fail(positionals.isEmpty()
                            ? QStringLiteral("open needs the notification ID")
                            : QStringLiteral("open takes one ID, got \"%1\" as well").arg(positionals.at(1)));
        inv.notificationId = positionals.first();
        // A push's uri (herald://n/ID, herald://open/APP/ID) opens what it links to.
        if (inv.notificationId.startsWith(QLatin1String("herald://"))) {
            inv.notificationId = PushLink::notificationId(inv.notificationId);
            if (inv.notificationId.isEmpty())
                return fail(QStringLiteral("open: not a push uri herald://n/ID or herald://open/APP/ID"));
        }
        if (inv.notificationId.isEmpty() || hasControlCharacters(inv.notificationId))
            return fail(QStringLiteral("open: ID must be non-empty and without control characters"));
        return true;
    case Command::Decrypt:
    case Command::Push:
        if (positionals.size() > 1)
            return fail(QStringLiteral("%1 takes at most one FILE, got \"%2\" as well")
                            .arg(commandName(inv.command), positionals.at(1)));
        inv.pushFile = positionals.value(0);
        return true;
    case Command::Presence: {
        if (positionals.size() != 3)
            return fail(QStringLiteral("presence needs ACCOUNT APP and one of foreground, background, closed, "
                                       "disconnected"));
        inv.presenceAccount = positionals.at(0);
        inv.presenceApp = positionals.at(1);
        inv.presenceUi = positionals.at(2);
        if (inv.presenceAccount.isEmpty() || inv.presenceAccount.size() > 128 ||
            hasControlCharacters(inv.presenceAccount))
            return fail(QStringLiteral("presence: ACCOUNT must be 1-128 characters without control characters"));
        if (!protocol::isAppName(inv.presenceApp))
            return fail(QStringLiteral("presence: invalid app name \"%1\" (lower-case letters, digits, '.', '_', '-')")
                            .arg(inv.presenceApp.left(64)));
        static const QStringList uis{QStringLiteral("foreground"), QStringLiteral("background"),
                                     QStringLiteral("closed"), QStringLiteral("disconnected")};
        if (!uis.contains(inv.presenceUi))
            return fail(QStringLiteral("presence: the state must be foreground, background, closed or disconnected, "
                                       "got \"%1\"").arg(inv.presenceUi.left(32)));
        if (inv.sourceToken.isEmpty())
            inv.sourceToken = m_environment.value(QStringLiteral("HERALD_SOURCE_TOKEN"));
        if (inv.sourceToken.isEmpty() || hasControlCharacters(inv.sourceToken))
            return fail(QStringLiteral("presence needs a presence source token: --source-token or HERALD_SOURCE_TOKEN"));
        return true;
    }
    case Command::Unregister:
    case Command::Notifications:
    case Command::Session:
    case Command::Help:
    case Command::Version:
        return noArguments();
    }
    return true;
}

} // namespace herald::term
