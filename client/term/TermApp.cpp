#include "TermApp.h"

#include "TermSession.h"

#include "PushNotice.h"
#include "SealedPush.h"

#include "HeraldVersion.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace herald::term {

namespace {

void writeErr(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

// One line from stdin without the newline; false at end of input.
bool readStdinLine(QString *line)
{
    QByteArray buffer;
    int c;
    while ((c = std::fgetc(stdin)) != EOF && c != '\n')
        buffer.append(char(c));
    if (c == EOF && buffer.isEmpty())
        return false;
    if (buffer.endsWith('\r'))
        buffer.chop(1);
    *line = QString::fromUtf8(buffer);
    return true;
}

} // namespace

TermApp::TermApp(const Invocation &invocation, QObject *parent)
    : QObject(parent), m_invocation(invocation), m_state(invocation.stateFile), m_client(this)
{
}

void TermApp::done(int code)
{
    std::fflush(stdout);
    QCoreApplication::exit(code);
}

void TermApp::fail(int code, const QString &errorCode, const QString &message)
{
    writeErr(QStringLiteral("error: %1: %2").arg(errorCode, message));
    done(code);
}

void TermApp::printJson(const QJsonValue &value)
{
    QByteArray text;
    if (value.isArray())
        text = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    else if (value.isObject())
        text = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    else
        return;
    text.append('\n');
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}

bool TermApp::prepare()
{
    QString error;
    if (m_state.exists() && !m_state.load(&error)) {
        fail(ExitUsage, QStringLiteral("bad_state_file"), error);
        return false;
    }
    // Precedence: --server / HERALD_SERVER, then the server the device registered with, then the default.
    QString server = m_invocation.server;
    if (!m_invocation.serverGiven)
        server =
            m_state.server.isEmpty() ? QString::fromLatin1(TermCommandLine::DefaultServer) : m_state.server;
    m_server = QUrl(server, QUrl::StrictMode);
    if (!m_server.isValid() || m_server.host().isEmpty()) {
        fail(ExitUsage, QStringLiteral("bad_argument"),
             QStringLiteral("invalid server URL \"%1\"").arg(server));
        return false;
    }
    if (!m_invocation.caCertFile.isEmpty() && !m_trust.loadCaFile(m_invocation.caCertFile, &error)) {
        fail(ExitUsage, QStringLiteral("bad_argument"), QStringLiteral("--cacert: %1").arg(error));
        return false;
    }
    if (!m_invocation.pinSha256.isEmpty() && !m_trust.setPinnedSha256(m_invocation.pinSha256, &error)) {
        fail(ExitUsage, QStringLiteral("bad_argument"), QStringLiteral("--pin-sha256: %1").arg(error));
        return false;
    }
    m_client.setBaseUrl(m_server);
    m_client.setTlsTrust(m_trust);
    m_client.setTimeout(m_invocation.timeoutSeconds * 1000);
    m_client.setDeviceToken(m_state.deviceToken);
    return true;
}

void TermApp::start()
{
    switch (m_invocation.command) {
    case Command::Help:
        std::fputs(TermCommandLine::usage().toUtf8().constData(), stdout);
        return done(ExitOk);
    case Command::Version:
        std::printf("herald-term %s\n", HERALD_VERSION_STRING);
        return done(ExitOk);
    default:
        break;
    }
    if (!prepare())
        return;
    switch (m_invocation.command) {
    case Command::Register:
        return runRegister();
    case Command::Unregister:
        return runUnregister();
    case Command::Login:
        return runLogin();
    case Command::Logout:
        return runLogout();
    case Command::Notifications:
        return runNotifications();
    case Command::Open:
        return runOpen();
    case Command::Session:
        return runSession();
    case Command::Presence:
        return runPresence();
    case Command::Decrypt:
        return runDecrypt();
    case Command::Push:
        return runPush();
    case Command::Help:
    case Command::Version:
        break;
    }
}

bool TermApp::requireToken()
{
    if (!m_state.deviceToken.isEmpty())
        return true;
    fail(ExitApiError, QStringLiteral("not_registered"),
         QStringLiteral("no device token in %1; run herald-term register first").arg(m_state.path()));
    return false;
}

void TermApp::finishWith(HeraldReply *reply, const std::function<void()> &onSuccess)
{
    connect(reply, &HeraldReply::finished, this, [this, reply, onSuccess] {
        if (!reply->isOk()) {
            const auto &error = reply->error();
            return fail(ExitApiError, error.code, error.message);
        }
        if (onSuccess)
            onSuccess();
        else
            printJson(reply->json());
        done(ExitOk);
    });
}

bool TermApp::readPassword(QString *password)
{
    const bool terminal = isatty(STDIN_FILENO);
    if (m_invocation.passwordFromStdin || !terminal) {
        if (!readStdinLine(password)) {
            fail(ExitUsage, QStringLiteral("bad_argument"), QStringLiteral("no password on stdin"));
            return false;
        }
    } else {
        std::fputs("Password: ", stderr);
        std::fflush(stderr);
        termios saved;
        const bool haveTermios = tcgetattr(STDIN_FILENO, &saved) == 0;
        if (haveTermios) {
            termios silent = saved;
            silent.c_lflag &= ~tcflag_t(ECHO);
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
        }
        const bool got = readStdinLine(password);
        if (haveTermios)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fputs("\n", stderr);
        if (!got) {
            fail(ExitUsage, QStringLiteral("bad_argument"), QStringLiteral("no password given"));
            return false;
        }
    }
    if (password->isEmpty()) {
        fail(ExitUsage, QStringLiteral("bad_argument"), QStringLiteral("the password must not be empty"));
        return false;
    }
    return true;
}

void TermApp::runRegister()
{
    protocol::RegisterRequest request;
    request.username = m_invocation.username;
    request.device = m_invocation.device;
    request.apps = m_invocation.apps;
    if (!readPassword(&request.password))
        return;
    client::PushKeyPair pushKey;
    if (m_invocation.pushKey) {
        QString error;
        pushKey = client::PushKeyPair::generate(&error);
        if (pushKey.isNull())
            return fail(ExitApiError, QStringLiteral("push_key"), error);
        request.device.pushKeyP256dh = pushKey.p256dh();
        request.device.pushKeyAuth = pushKey.auth();
    }
    HeraldReply *reply = m_client.registerDevice(request);
    finishWith(reply, [this, reply, pushKey] {
        m_state.pushKey = pushKey.toJson(); // registering without --push-key forgets the old key
        const protocol::RegisterResponse response = reply->registerResponse();
        m_state.server = m_server.toString();
        m_state.deviceToken = response.deviceToken;
        m_state.deviceId = response.deviceId;
        QString error;
        if (!m_state.save(&error)) {
            // Registered on the server but unusable here: say so loudly, the token is lost.
            writeErr(QStringLiteral("error: state_not_saved: %1").arg(error));
            return done(ExitApiError);
        }
        printJson(QJsonObject{{QStringLiteral("deviceId"), response.deviceId},
                              {QStringLiteral("stateFile"), m_state.path()}});
    });
}

void TermApp::runUnregister()
{
    if (!requireToken())
        return;
    finishWith(m_client.unregisterDevice(), [this] {
        QString error;
        if (!m_state.remove(&error))
            writeErr(QStringLiteral("warning: %1").arg(error));
    });
}

void TermApp::runLogin()
{
    if (!requireToken())
        return;
    QList<protocol::AppLogin> apps;
    for (const QString &app : std::as_const(m_invocation.loginApps))
        apps.append({app, m_invocation.credentials, m_invocation.hasCredentials});
    finishWith(m_client.login(apps));
}

void TermApp::runLogout()
{
    if (!requireToken())
        return;
    finishWith(m_client.logout(m_invocation.loginApps));
}

void TermApp::runPresence()
{
    QJsonObject report{{QStringLiteral("account"), m_invocation.presenceAccount},
                       {QStringLiteral("app"), m_invocation.presenceApp},
                       {QStringLiteral("ui"), m_invocation.presenceUi}};
    if (!m_invocation.presenceDevice.isEmpty())
        report.insert(QStringLiteral("device"), m_invocation.presenceDevice);
    if (m_invocation.presenceTtlSecs > 0)
        report.insert(QStringLiteral("ttlSecs"), m_invocation.presenceTtlSecs);
    finishWith(m_client.reportPresence(m_invocation.sourceToken, report));
}

void TermApp::runNotifications()
{
    if (!requireToken())
        return;
    finishWith(m_client.notifications(m_invocation.notificationState));
}

void TermApp::runOpen()
{
    if (!requireToken())
        return;
    finishWith(m_client.open(m_invocation.notificationId));
}

void TermApp::runSession()
{
    if (!requireToken())
        return;
    auto *session = new TermSession(m_invocation, m_server, m_trust, m_state.deviceToken, this);
    connect(session, &TermSession::finished, this,
            [this](int code, const QString &errorCode, const QString &message) {
                if (code == ExitOk)
                    return done(ExitOk);
                fail(code, errorCode, message);
            });
    session->start();
}

void TermApp::runDecrypt()
{
    // Local work: the push came through APNs, FCM or a push service, not from Herald.
    QString error;
    const client::PushKeyPair key = client::PushKeyPair::fromJson(m_state.pushKey, &error);
    if (m_state.pushKey.isEmpty())
        return fail(ExitApiError, QStringLiteral("no_push_key"),
                    QStringLiteral("no push key in %1; register with --push-key first").arg(m_state.path()));
    if (key.isNull())
        return fail(ExitApiError, QStringLiteral("bad_state_file"), error);
    QByteArray push;
    if (!readPushFile(&push))
        return;
    const auto content = client::SealedPush::open(push, key, &error);
    if (!content)
        return fail(ExitApiError, QStringLiteral("decrypt_failed"), error);
    printJson(QJsonObject{{QStringLiteral("nid"), content->notificationId},
                          {QStringLiteral("app"), content->app},
                          {QStringLiteral("sender"), content->sender},
                          {QStringLiteral("subject"), content->subject},
                          {QStringLiteral("excerpt"), content->excerpt},
                          {QStringLiteral("uri"), content->uri},
                          {QStringLiteral("createdAt"), content->createdAt.toString(Qt::ISODateWithMs)}});
    done(ExitOk);
}

bool TermApp::readPushFile(QByteArray *push)
{
    QFile file;
    const bool fromStdin = m_invocation.pushFile.isEmpty() || m_invocation.pushFile == QLatin1String("-");
    const bool opened = fromStdin ? file.open(stdin, QIODevice::ReadOnly) : (file.setFileName(m_invocation.pushFile),
                                                                             file.open(QIODevice::ReadOnly));
    if (!opened) {
        fail(ExitUsage, QStringLiteral("bad_argument"),
             QStringLiteral("cannot read %1: %2").arg(fromStdin ? QStringLiteral("stdin") : m_invocation.pushFile,
                                                     file.errorString()));
        return false;
    }
    // A push is at most 4 KB on every platform (base64 and JSON around it included): 64 KB is plenty.
    *push = file.read(64 * 1024);
    return true;
}

void TermApp::runPush()
{
    // Local work, like decrypt: what a terminal does with a push the platform woke it with.
    QByteArray push;
    if (!readPushFile(&push))
        return;
    QString error;
    const auto notice = client::PushNotice::read(push, &error);
    if (!notice)
        return fail(ExitApiError, QStringLiteral("bad_push"), error);
    QJsonObject out;
    if (notice->kind == client::PushNotice::Kind::Clear) {
        out = {{QStringLiteral("type"), QStringLiteral("clear")},
               {QStringLiteral("ids"), QJsonArray::fromStringList(notice->clearIds)}};
    } else {
        out = {{QStringLiteral("type"), QStringLiteral("notification")},
               {QStringLiteral("nid"), notice->notificationId},
               {QStringLiteral("uri"), notice->uri},
               {QStringLiteral("title"), notice->title},
               {QStringLiteral("body"), notice->body}};
        const client::PushKeyPair key = client::PushKeyPair::fromJson(m_state.pushKey, &error);
        if (notice->sealed && !key.isNull()) {
            const auto content = client::SealedPush::open(push, key, &error);
            if (!content)
                return fail(ExitApiError, QStringLiteral("decrypt_failed"), error);
            out.insert(QStringLiteral("sender"), content->sender);
            out.insert(QStringLiteral("subject"), content->subject);
            out.insert(QStringLiteral("excerpt"), content->excerpt);
            out.insert(QStringLiteral("uri"), content->uri);
        } else if (notice->sealed) {
            out.insert(QStringLiteral("sealed"), true); // no push key in the state file to open it
        }
    }
    if (notice->badge >= 0)
        out.insert(QStringLiteral("badge"), notice->badge);
    printJson(out);
    done(ExitOk);
}

} // namespace herald::term
