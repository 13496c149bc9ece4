#pragma once

#include "TermCommandLine.h"

#include "SessionChannel.h"

#include <QByteArray>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

namespace herald::term {

// `herald-term session`: a terminal holding its session channel open. Frames from the server go to
// stdout as JSON lines (flushed one by one, so a test can follow them live); commands come in on
// stdin, one per line.
class TermSession : public QObject
{
    Q_OBJECT

public:
    TermSession(const Invocation &invocation, const QUrl &server, const TlsTrust &trust,
                const QString &deviceToken, QObject *parent = nullptr);

    void start();

signals:
    void finished(int exitCode, const QString &errorCode, const QString &message);

private:
    void onStdinReadable();
    void handleCommand(const QString &line);
    void onChannelState(SessionChannel::State state);
    void quit();
    void finish(int exitCode, const QString &errorCode = {}, const QString &message = {});

    Invocation m_invocation;
    SessionChannel m_channel;
    QSocketNotifier *m_stdin = nullptr;
    QByteArray m_stdinBuffer;
    QTimer m_duration;
    QTimer m_closeGrace;
    protocol::ApiError m_lastError;
    bool m_everWelcomed = false;
    bool m_quitting = false;
    bool m_finished = false;
};

} // namespace herald::term
