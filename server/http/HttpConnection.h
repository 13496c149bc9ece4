#pragma once

#include "http/HttpLimits.h"
#include "http/HttpRequest.h"
#include "http/ResponseGate.h"
#include "timing/WheelTimer.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

namespace herald {

class TlsSocket;

class Router;
struct HttpResponse;

// One client connection speaking HTTP/1.1 with keep-alive. Strict and bounded: every limit
// in HttpLimits answers with a JSON error and closes rather than buffering without end.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(TlsSocket *socket, const Router &router, const HttpLimits &limits, const ResponseGate &gate,
                   TimerWheel &timers, QObject *parent = nullptr);
    ~HttpConnection() override;

signals:
    void finished();

private:
    void onReadyRead();
    void parseBuffered();
    bool tryParseHead();
    QByteArrayView unread() const; // what is buffered and not yet parsed
    void discardBuffered();
    void processRequest();
    void handleResponse(HttpResponse response); // takes over, waits for a deferred answer, or answers
    void finishRequest(const HttpResponse &response); // keep-alive bookkeeping, then respond()
    // Writes the answer once it passes the gate (keepAlive picks the Connection header), then
    // closes the connection if closeAfter.
    void respond(const HttpResponse &response, bool keepAlive, bool closeAfter);
    void passGate(std::function<void(bool durable)> action); // runs it when the gate lets it (at once without one)
    void failAndClose(int status, const QString &code, const QString &message, qint64 drainBytes = 0);
    void drain();
    void armTimer(int ms);
    void onTimeout();
    void closeConnection();
    void compactBuffer();
    // Pipelined requests are answered only while the client takes its answers: past these the
    // connection stops reading (TCP makes the client wait) until the answers have gone out.
    bool answersBackedUp() const;
    void pauseForAnswers();
    void onAnswersTaken();

    enum class Phase { Head, Body, Waiting, Draining, Closing }; // Waiting: for a deferred answer
    static constexpr qint64 MaxDrainBytes = 1024 * 1024;
    static constexpr int DrainTimeoutMs = 5000;
    static constexpr qint64 MaxQueuedAnswerBytes = 256 * 1024;
    static constexpr int MaxAnswersInFlight = 32; // answered, still waiting for the gate

    TlsSocket *m_socket;
    const Router &m_router;
    HttpLimits m_limits;
    HttpLimits m_headLimits; // m_limits with the largest body any route takes
    const ResponseGate &m_gate;
    WheelTimer m_timer; // on the listener's wheel: thousands of connections, one QTimer
    QByteArray m_buffer;
    qsizetype m_readPos = 0; // m_buffer before this is parsed; cut off once per read
    QHostAddress m_peer;
    Phase m_phase = Phase::Head;
    HttpRequest m_request;
    qint64 m_contentLength = 0;
    qint64 m_drainRemaining = 0;
    bool m_keepAlive = true;
    int m_answersInFlight = 0;
    bool m_pausedForAnswers = false;
};

} // namespace herald
