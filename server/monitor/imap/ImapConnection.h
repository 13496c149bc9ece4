#pragma once

#include "ImapResponse.h"
#include "ImapResponseReader.h"
#include "ImapSettings.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTimer>

namespace herald {

// One IMAP connection: TCP, TLS or STARTTLS, the greeting, framing of responses and tagging of
// commands, and the dead-connection watchdog. It knows nothing about mailboxes; the monitor drives
// the session. Every failure is reported once through lost() and leaves the connection closed.
class ImapConnection : public QObject
{
    Q_OBJECT
public:
    ImapConnection(const ImapSettings &settings, QObject *parent = nullptr);
    ~ImapConnection() override;

    void open();
    // Ends the connection quietly (no lost() signal). With `polite`, a LOGOUT is sent first.
    void close(bool polite = false);
    bool isOpen() const { return m_socket != nullptr; }

    // Sends "<tag> <command>\r\n" and returns the tag. `sensitive` keeps the command out of debug logs.
    QByteArray send(const QByteArray &command, bool sensitive = false);
    // Sends raw bytes, e.g. "DONE\r\n" or the rest of a command after a continuation.
    void sendRaw(const QByteArray &bytes);

signals:
    // The greeting arrived (and, for STARTTLS, the TLS handshake after it is done). `capabilities`
    // are those the greeting announced in a [CAPABILITY ...] code, if any still valid.
    void ready(bool preauthenticated, const QByteArray &capabilities);
    void response(const herald::ImapResponse &response);
    void lost(const QString &reason);

private:
    void onConnected();
    void onEncrypted();
    void onReadyRead();
    void onDisconnected();
    void onSocketError(QAbstractSocket::SocketError error);
    void onSslErrors(const QList<QSslError> &errors);
    void handle(const ImapResponse &response);
    void fail(const QString &reason);
    void armWatchdog();

    enum class Phase { Greeting, StartTls, Handshake, Open };

    ImapSettings m_settings;
    QList<QSslCertificate> m_extraCas;
    QSslSocket *m_socket = nullptr;
    ImapResponseReader m_reader;
    QTimer m_watchdog;
    Phase m_phase = Phase::Greeting;
    QByteArray m_startTlsTag;
    bool m_preauth = false;
    QByteArray m_greetingCapabilities;
    quint32 m_nextTag = 1;
};

} // namespace herald
