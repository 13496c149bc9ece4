#pragma once

#include "protocol/SessionFrame.h"
#include "protocol/TerminalApi.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace herald::term {

enum class Command
{
    Register,
    Unregister,
    Login,
    Logout,
    Notifications,
    Open,
    Session,
    Presence,
    Decrypt,
    Push,
    Help,
    Version
};

// Everything herald-term was asked to do, checked and typed. Only the fields of `command` matter.
struct Invocation
{
    Command command = Command::Help;

    // global
    QString server; // empty: from the state file, else the default
    bool serverGiven = false;
    QString caCertFile;
    QString pinSha256;
    QString stateFile;
    int timeoutSeconds = 30;

    // register
    QString username;
    protocol::DeviceInfo device;
    QStringList apps;
    bool passwordFromStdin = false;
    bool pushKey = false; // --push-key: make a receiver key for encrypted pushes, keep it in the state file

    // login / logout
    QStringList loginApps;
    QJsonObject credentials;
    bool hasCredentials = false;

    // notifications
    QString notificationState;

    // open
    QString notificationId;

    // decrypt: the push to open, from this file; empty or "-" is standard input
    QString pushFile;

    // session
    QList<QPair<QString, protocol::UiState>> initialStates;
    bool noAck = false;
    int durationSeconds = 0; // 0: until "quit" or end of the process
    bool reconnect = false;

    // presence (playing a remote-app gateway: POST /v1/presence with a presence source token)
    QString sourceToken;   // --source-token, or HERALD_SOURCE_TOKEN
    QString presenceAccount;
    QString presenceApp;
    QString presenceUi;
    QString presenceDevice; // empty: the account's remote session as a whole
    int presenceTtlSecs = 0; // 0: the server's default
};

// Parses herald-term's command line. Every refusal names the offending option or argument, because
// this tool is what helpdesk staff type by hand.
class TermCommandLine
{
public:
    static constexpr const char *DefaultServer = "https://localhost:7443";
    static constexpr const char *DefaultStateFile = "herald-term.json";

    explicit TermCommandLine(
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

    // `arguments` excludes the program name.
    bool parse(const QStringList &arguments);
    const Invocation &invocation() const { return m_invocation; }
    QString errorMessage() const { return m_error; }

    static QString usage();
    // App names follow the session channel's rules (non-empty, <= 64, no whitespace or controls).
    static bool checkAppName(const QString &app, QString *error);

private:
    bool fail(const QString &message);
    bool takeValue(const QStringList &arguments, int *index, const QString &option,
                   const QString &inlineValue, bool hasInline, QString *value);
    bool applyGlobal(const QString &option, const QString &value);
    bool finish(const QStringList &positionals);
    bool parseAppList(const QString &option, const QString &value, QStringList *out);
    bool addSessionState(const QString &app, protocol::UiState ui, const QString &option);

    QProcessEnvironment m_environment;
    Invocation m_invocation;
    QString m_error;
};

} // namespace herald::term
