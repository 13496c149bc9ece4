#include "TermSession.h"

#include "TermApp.h"

#include <QJsonDocument>

#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

namespace herald::term {

using namespace protocol;

namespace {

void writeLine(FILE *stream, const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

void note(const QString &text)
{
    writeLine(stderr, text.toUtf8());
}

// Session commands must stay line-sized; a runaway producer on stdin should not grow us forever.
constexpr qsizetype MaxCommandLine = 4096;

} // namespace

TermSession::TermSession(const Invocation &invocation, const QUrl &server, const TlsTrust &trust,
                         const QString &deviceToken, QObject *parent)
    : QObject(parent), m_invocation(invocation), m_channel(this)
{
    m_channel.setServerUrl(server);
    m_channel.setTlsTrust(trust);
    m_channel.setDeviceToken(deviceToken);
    m_channel.setAutoAck(!invocation.noAck);
    m_channel.setAutoReconnect(invocation.reconnect, 1000, 30000);

    connect(&m_channel, &SessionChannel::frameReceived, this, [](const SessionFrame &frame) {
        writeLine(stdout, QJsonDocument(frameToJson(frame)).toJson(QJsonDocument::Compact));
    });
    connect(&m_channel, &SessionChannel::connected, this, [this] {
        m_everWelcomed = true;
        note(QStringLiteral("session: connected, heartbeat %1 s").arg(m_channel.heartbeatSeconds()));
    });
    connect(&m_channel, &SessionChannel::protocolError, this, [](const SessionFrameError &error) {
        note(QStringLiteral("warning: invalid frame from server: %1: %2").arg(error.code, error.message));
    });
    connect(&m_channel, &SessionChannel::connectionError, this, [this](const ApiError &error) {
        m_lastError = error;
        // Without --reconnect this ends the run, and the final "error:" line already says it.
        if (m_invocation.reconnect)
            note(QStringLiteral("session: %1: %2").arg(error.code, error.message));
    });
    connect(&m_channel, &SessionChannel::reconnectScheduled, this,
            [](int delayMs) { note(QStringLiteral("session: reconnecting in %1 ms").arg(delayMs)); });
    connect(&m_channel, &SessionChannel::stateChanged, this, &TermSession::onChannelState);

    m_duration.setSingleShot(true);
    connect(&m_duration, &QTimer::timeout, this, &TermSession::quit);
    // A server that never answers our close frame must not keep the tool alive.
    m_closeGrace.setSingleShot(true);
    connect(&m_closeGrace, &QTimer::timeout, this, [this] { finish(ExitOk); });
}

void TermSession::start()
{
    for (const auto &entry : std::as_const(m_invocation.initialStates))
        m_channel.setState(entry.first, entry.second);

    struct stat info;
    if (fstat(STDIN_FILENO, &info) == 0) {
        m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
        connect(m_stdin, &QSocketNotifier::activated, this, &TermSession::onStdinReadable);
    }
    if (m_invocation.durationSeconds > 0)
        m_duration.start(m_invocation.durationSeconds * 1000);
    m_channel.open();
}

void TermSession::onStdinReadable()
{
    char chunk[4096];
    const ssize_t count = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (count <= 0) {
        // End of input is not "quit": a session driven only by --duration may have no stdin at all.
        m_stdin->setEnabled(false);
        if (!m_stdinBuffer.isEmpty())
            handleCommand(QString::fromUtf8(std::exchange(m_stdinBuffer, {})).trimmed());
        return;
    }
    m_stdinBuffer.append(chunk, count);
    qsizetype newline;
    while ((newline = m_stdinBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stdinBuffer.left(newline);
        m_stdinBuffer.remove(0, newline + 1);
        handleCommand(QString::fromUtf8(line).trimmed());
    }
    if (m_stdinBuffer.size() > MaxCommandLine) {
        note(QStringLiteral("error: bad_command: line longer than %1 bytes ignored").arg(MaxCommandLine));
        m_stdinBuffer.clear();
    }
}

void TermSession::handleCommand(const QString &line)
{
    if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
        return;
    const QStringList words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QString verb = words.first();
    if (verb == QLatin1String("quit") && words.size() == 1)
        return quit();
    if (verb == QLatin1String("ping") && words.size() == 1) {
        if (!m_channel.sendPing())
            note(QStringLiteral("error: not_connected: the session is not open"));
        return;
    }
    if (verb == QLatin1String("ack") && words.size() == 2) {
        if (!m_channel.ack(words.at(1)))
            note(QStringLiteral("error: not_connected: the session is not open"));
        return;
    }
    if (verb == QLatin1String("state") && words.size() == 3) {
        UiState ui;
        if (!uiStateFromName(words.at(2), &ui)) {
            note(QStringLiteral(
                     "error: bad_command: state must be foreground, background or closed, got \"%1\"")
                     .arg(words.at(2).left(40)));
            return;
        }
        QString error;
        if (!m_channel.setState(words.at(1), ui, &error))
            note(QStringLiteral("error: bad_command: %1").arg(error));
        return;
    }
    note(QStringLiteral("error: bad_command: expected 'state APP foreground|background|closed', 'ack ID', "
                        "'ping' or 'quit', got \"%1\"")
             .arg(line.left(80)));
}

void TermSession::quit()
{
    m_quitting = true;
    m_duration.stop();
    if (m_channel.state() == SessionChannel::State::Disconnected)
        return finish(ExitOk);
    m_channel.close();
    m_closeGrace.start(3000);
}

void TermSession::onChannelState(SessionChannel::State state)
{
    if (state != SessionChannel::State::Disconnected)
        return;
    if (m_quitting)
        return finish(ExitOk);
    if (m_invocation.reconnect)
        return;
    if (m_lastError.code.isEmpty())
        return finish(ExitApiError, QStringLiteral("session_closed"),
                      QStringLiteral("the server closed the session"));
    finish(ExitApiError, m_lastError.code, m_lastError.message);
}

void TermSession::finish(int exitCode, const QString &errorCode, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_closeGrace.stop();
    if (m_stdin)
        m_stdin->setEnabled(false);
    emit finished(exitCode, errorCode, message);
}

} // namespace herald::term
