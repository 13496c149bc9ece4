#include "FakeImapServer.h"

namespace herald::test {

FakeImapServer::FakeImapServer(QObject *parent) : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FakeImapServer::onNewConnection);
}

bool FakeImapServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

quint32 FakeImapServer::addMessage(const QByteArray &subject)
{
    const quint32 uid = m_messages.isEmpty() ? 1 : m_messages.lastKey() + 1;
    addRawMessage(uid, "ENVELOPE (\"Sat, 28 Nov 2026 03:00:00 +0000\" \"" + subject
                           + "\" ((\"Fake Sender\" NIL \"fake\" \"example.org\")) NIL NIL NIL NIL NIL NIL \"<m"
                           + QByteArray::number(uid) + "@x>\")");
    return uid;
}

void FakeImapServer::addRawMessage(quint32 uid, const QByteArray &fetchItems)
{
    m_messages.insert(uid, fetchItems);
    for (Session *s : std::as_const(m_sessions))
        if (!s->idleTag.isEmpty())
            s->write("* " + QByteArray::number(m_messages.size()) + " EXISTS\r\n");
}

void FakeImapServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        auto *session = new Session;
        session->index = m_sessions.size() + 1;
        session->socket = socket;
        m_sessions.append(session);
        connect(socket, &QTcpSocket::readyRead, this, [this, session] { onReadyRead(session); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        session->write(m_greeting);
    }
}

void FakeImapServer::onReadyRead(Session *session)
{
    if (!session->socket)
        return;
    session->buffer += session->socket->readAll();
    for (;;) {
        const qsizetype lf = session->buffer.indexOf("\r\n");
        if (lf < 0)
            return;
        const QByteArray line = session->buffer.left(lf);
        session->buffer.remove(0, lf + 2);
        QByteArray tag;
        QByteArray command = line;
        if (line != "DONE") {
            const qsizetype space = line.indexOf(' ');
            tag = line.left(space);
            command = line.mid(space + 1);
        }
        if (!m_hook || !m_hook(*session, tag, command))
            answer(*session, tag, command);
        if (!session->socket)
            return;
    }
}

void FakeImapServer::answer(Session &s, const QByteArray &tag, const QByteArray &command)
{
    const QByteArray verb = command.split(' ').first().toUpper();
    if (command == "DONE") {
        s.write(s.idleTag + " OK Idle completed\r\n");
        s.idleTag.clear();
    } else if (verb == "LOGIN") {
        ++m_logins;
        s.write(tag + " OK Logged in\r\n");
    } else if (verb == "CAPABILITY") {
        s.write("* CAPABILITY IMAP4rev1 IDLE LITERAL+\r\n" + tag + " OK done\r\n");
    } else if (verb == "EXAMINE") {
        const quint32 next = m_messages.isEmpty() ? 1 : m_messages.lastKey() + 1;
        s.write("* " + QByteArray::number(m_messages.size()) + " EXISTS\r\n* OK [UIDVALIDITY "
                + QByteArray::number(uidValidity) + "] ok\r\n* OK [UIDNEXT " + QByteArray::number(next) + "] ok\r\n"
                + tag + " OK [READ-ONLY] done\r\n");
    } else if (verb == "UID") {
        // "UID FETCH <from>:* (...)": every message from <from> on, by sequence number.
        const QByteArray range = command.split(' ').value(2);
        const quint32 from = range.left(range.indexOf(':')).toUInt();
        int seq = 0;
        for (auto it = m_messages.cbegin(); it != m_messages.cend(); ++it) {
            ++seq;
            if (it.key() >= from)
                s.write("* " + QByteArray::number(seq) + " FETCH (UID " + QByteArray::number(it.key()) + " "
                        + it.value() + ")\r\n");
        }
        s.write(tag + " OK Fetch completed\r\n");
    } else if (verb == "IDLE") {
        s.idleTag = tag;
        s.write("+ idling\r\n");
    } else if (verb == "LOGOUT") {
        s.write("* BYE bye\r\n" + tag + " OK done\r\n");
        if (s.socket)
            s.socket->disconnectFromHost();
    } else {
        s.write(tag + " BAD unknown command\r\n");
    }
}

} // namespace herald::test
