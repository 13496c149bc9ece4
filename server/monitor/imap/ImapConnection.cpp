#include "ImapConnection.h"

#include "ImapLog.h"
#include "ImapResponseParser.h"

#include <QSslConfiguration>

namespace herald {

ImapConnection::ImapConnection(const ImapSettings &settings, QObject *parent)
    : QObject(parent), m_settings(settings)
{
    ImapResponseReader::Limits limits;
    // A body excerpt is the largest literal we ask for; everything else (subjects, names) is small.
    limits.maxLiteralBytes = qMax<qint64>(64 * 1024, settings.excerptBytes + 1024);
    m_reader = ImapResponseReader(limits);
    if (!settings.caFile.isEmpty())
        m_extraCas = QSslCertificate::fromPath(settings.caFile, QSsl::Pem);
    m_watchdog.setSingleShot(true);
    m_watchdog.setInterval(settings.deadAfterSecs * 1000);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("no data from the server for %1 s").arg(m_settings.deadAfterSecs));
    });
}

ImapConnection::~ImapConnection()
{
    close();
}

void ImapConnection::open()
{
    close();
    m_socket = new QSslSocket(this);
    m_phase = Phase::Greeting;
    m_preauth = false;
    m_nextTag = 1;
    m_reader.clear();
    if (m_settings.security != ImapSettings::Security::Plain) {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        if (!m_extraCas.isEmpty())
            config.addCaCertificates(m_extraCas);
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        config.setProtocol(QSsl::TlsV1_2OrLater);
        m_socket->setSslConfiguration(config);
    }
    connect(m_socket, &QSslSocket::connected, this, &ImapConnection::onConnected);
    connect(m_socket, &QSslSocket::encrypted, this, &ImapConnection::onEncrypted);
    connect(m_socket, &QSslSocket::readyRead, this, &ImapConnection::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, &ImapConnection::onDisconnected);
    connect(m_socket, &QSslSocket::errorOccurred, this, &ImapConnection::onSocketError);
    connect(m_socket, qOverload<const QList<QSslError> &>(&QSslSocket::sslErrors), this,
            &ImapConnection::onSslErrors);
    armWatchdog();
    if (m_settings.security == ImapSettings::Security::Tls) {
        m_phase = Phase::Handshake;
        m_socket->connectToHostEncrypted(m_settings.host, m_settings.port);
    } else {
        m_socket->connectToHost(m_settings.host, m_settings.port);
    }
}

void ImapConnection::close(bool polite)
{
    m_watchdog.stop();
    if (!m_socket)
        return;
    QSslSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    if (polite && socket->state() == QAbstractSocket::ConnectedState && m_phase == Phase::Open) {
        socket->write(QByteArray::number(m_nextTag++) + " LOGOUT\r\n");
        socket->disconnectFromHost(); // flushes the LOGOUT first
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(5000, socket, &QObject::deleteLater);
    } else {
        socket->abort();
        socket->deleteLater();
    }
    m_reader.clear();
}

QByteArray ImapConnection::send(const QByteArray &command, bool sensitive)
{
    const QByteArray tag = QByteArrayLiteral("h") + QByteArray::number(m_nextTag++);
    if (!m_socket)
        return tag;
    if (!sensitive)
        qCDebug(lcImapProtocol) << "C:" << tag << command.left(command.indexOf(' ') < 0 ? command.size() : command.indexOf(' '));
    m_socket->write(tag + ' ' + command + "\r\n");
    return tag;
}

void ImapConnection::sendRaw(const QByteArray &bytes)
{
    if (m_socket)
        m_socket->write(bytes);
}

void ImapConnection::armWatchdog()
{
    m_watchdog.start();
}

void ImapConnection::onConnected()
{
    armWatchdog();
}

void ImapConnection::onEncrypted()
{
    armWatchdog();
    if (m_phase == Phase::Handshake && m_settings.security == ImapSettings::Security::Tls) {
        m_phase = Phase::Greeting; // implicit TLS: the greeting comes over the encrypted channel
        onReadyRead();
    } else if (m_phase == Phase::Handshake) {
        m_phase = Phase::Open;
        emit ready(false, QByteArray()); // capabilities from before TLS must not be trusted

    }
}

void ImapConnection::onReadyRead()
{
    if (!m_socket)
        return;
    armWatchdog();
    if (m_phase == Phase::Handshake)
        return; // Qt keeps the bytes until the handshake is done
    m_reader.append(m_socket->readAll());
    QPointer<ImapConnection> self(this);
    while (self && m_socket) {
        QByteArray raw;
        QString error;
        const ImapResponseReader::Result r = m_reader.next(&raw, &error);
        if (r == ImapResponseReader::Result::NeedMore)
            return;
        if (r == ImapResponseReader::Result::Error) {
            fail(QStringLiteral("server sent a bad response: %1").arg(error));
            return;
        }
        ImapResponse response;
        if (!ImapResponseParser::parse(raw, &response, &error)) {
            fail(QStringLiteral("cannot parse the server's response: %1").arg(error));
            return;
        }
        handle(response);
        // STARTTLS: bytes after the tagged OK belong to the TLS handshake (and must not exist).
        if (m_phase == Phase::Handshake)
            return;
    }
}

void ImapConnection::handle(const ImapResponse &response)
{
    if (m_phase == Phase::Greeting) {
        if (response.kind != ImapResponse::Kind::Untagged
            || (response.status != "OK" && response.status != "PREAUTH")) {
            fail(response.status == "BYE" ? QStringLiteral("server refused the connection (BYE)")
                                          : QStringLiteral("server sent no IMAP greeting"));
            return;
        }
        m_preauth = response.status == "PREAUTH";
        m_greetingCapabilities = response.code == "CAPABILITY" ? response.codeArgs : QByteArray();
        if (m_settings.security == ImapSettings::Security::StartTls) {
            if (m_preauth) {
                // RFC 3501: STARTTLS is impossible after PREAUTH; we will not talk in clear text.
                fail(QStringLiteral("server pre-authenticated the connection; STARTTLS impossible"));
                return;
            }
            m_phase = Phase::StartTls;
            m_startTlsTag = send("STARTTLS");
            return;
        }
        m_phase = Phase::Open;
        emit ready(m_preauth, m_greetingCapabilities);
        return;
    }
    if (m_phase == Phase::StartTls) {
        if (response.kind != ImapResponse::Kind::Tagged) {
            return; // e.g. an untagged CAPABILITY: ignore, we ask again after TLS
        }
        if (response.tag != m_startTlsTag || response.status != "OK") {
            fail(QStringLiteral("server refused STARTTLS"));
            return;
        }
        if (m_reader.bufferedBytes() > 0) {
            // Anything sent before the handshake could be an injection (CVE-2011-0411 style).
            fail(QStringLiteral("server sent data after accepting STARTTLS"));
            return;
        }
        m_phase = Phase::Handshake;
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        if (!m_extraCas.isEmpty())
            config.addCaCertificates(m_extraCas);
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        config.setProtocol(QSsl::TlsV1_2OrLater);
        m_socket->setSslConfiguration(config);
        m_socket->setPeerVerifyName(m_settings.host);
        m_socket->startClientEncryption();
        return;
    }
    emit this->response(response);
}

void ImapConnection::onDisconnected()
{
    fail(QStringLiteral("connection closed by the server"));
}

void ImapConnection::onSocketError(QAbstractSocket::SocketError error)
{
    if (!m_socket)
        return;
    if (error == QAbstractSocket::RemoteHostClosedError) {
        fail(QStringLiteral("connection closed by the server"));
        return;
    }
    fail(QStringLiteral("connection error: %1").arg(m_socket->errorString()));
}

void ImapConnection::onSslErrors(const QList<QSslError> &errors)
{
    // Never ignored: a monitor that logs in with a user's password must know whom it talks to.
    QStringList what;
    for (const QSslError &e : errors)
        what << e.errorString();
    fail(QStringLiteral("TLS certificate not trusted: %1").arg(what.join(QStringLiteral("; "))));
}

void ImapConnection::fail(const QString &reason)
{
    if (!m_socket)
        return;
    close();
    emit lost(reason);
}

} // namespace herald
