#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

namespace herald::test {

// A scripted IMAP server on 127.0.0.1 for tests that need a misbehaving peer. By default it plays a
// minimal, well-behaved server (greeting, LOGIN, CAPABILITY, EXAMINE, UID FETCH of `messages`, IDLE);
// a test installs a hook that sees every command first and may answer it itself (return true) —
// with overlong lines, broken envelopes, garbage, silence or a closed socket.
class FakeImapServer : public QObject
{
    Q_OBJECT
public:
    struct Session
    {
        int index = 0; // 1 for the first connection
        QPointer<QTcpSocket> socket;
        QByteArray buffer;
        QByteArray idleTag; // set while the client is in IDLE
        void write(const QByteArray &bytes)
        {
            if (socket)
                socket->write(bytes);
        }
    };
    // Return true when the hook answered the command itself. `tag` is empty for "DONE".
    using Hook = std::function<bool(Session &session, const QByteArray &tag, const QByteArray &command)>;

    explicit FakeImapServer(QObject *parent = nullptr);
    ~FakeImapServer() override { qDeleteAll(m_sessions); }
    bool listen();
    quint16 port() const { return m_server.serverPort(); }

    void setHook(Hook hook) { m_hook = std::move(hook); }
    void setGreeting(const QByteArray &greeting) { m_greeting = greeting; }
    // Adds a message with a well-formed envelope; returns its UID. Sessions in IDLE hear "* n EXISTS".
    quint32 addMessage(const QByteArray &subject);
    void addRawMessage(quint32 uid, const QByteArray &fetchItems); // items inside "FETCH (...)"

    int connections() const { return m_sessions.size(); }
    int logins() const { return m_logins; }
    quint32 uidValidity = 7;

    // The default answer to a command; hooks call it for the commands they do not override.
    void answer(Session &session, const QByteArray &tag, const QByteArray &command);

private:
    void onNewConnection();
    void onReadyRead(Session *session);

    QTcpServer m_server;
    QList<Session *> m_sessions;
    QMap<quint32, QByteArray> m_messages; // uid -> FETCH items
    QByteArray m_greeting = "* OK [CAPABILITY IMAP4rev1 IDLE LITERAL+] fake ready\r\n";
    Hook m_hook;
    int m_logins = 0;
};

} // namespace herald::test
