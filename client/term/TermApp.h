#pragma once

#include "TermCommandLine.h"
#include "TermStateFile.h"

#include "HeraldClient.h"

#include <QObject>
#include <QTextStream>

namespace herald::term {

// Exit codes of herald-term; scripts and integration tests depend on them.
enum ExitCode
{
    ExitOk = 0,
    ExitApiError = 1,
    ExitUsage = 2
};

// Runs one parsed herald-term command against the server and sets the process exit code.
class TermApp : public QObject
{
    Q_OBJECT

public:
    explicit TermApp(const Invocation &invocation, QObject *parent = nullptr);

    // Starts the command; the event loop ends with QCoreApplication::exit(code).
    void start();

private:
    bool prepare();
    void runRegister();
    void runUnregister();
    void runLogin();
    void runLogout();
    void runNotifications();
    void runOpen();
    void runSession();
    void runPresence();
    void runDecrypt();
    void runPush();
    bool readPushFile(QByteArray *push); // FILE or stdin, for decrypt and push
    bool readPassword(QString *password);
    bool requireToken();
    // Finishes with the reply's JSON on stdout, or its error on stderr.
    void finishWith(HeraldReply *reply, const std::function<void()> &onSuccess = {});
    void fail(int code, const QString &errorCode, const QString &message);
    void done(int code);
    void printJson(const QJsonValue &value);

    Invocation m_invocation;
    TermStateFile m_state;
    HeraldClient m_client;
    TlsTrust m_trust;
    QUrl m_server;
};

} // namespace herald::term
