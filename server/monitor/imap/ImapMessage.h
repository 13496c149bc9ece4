#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace herald {

// What we keep of one new message between its FETCH and the event it becomes. Fields are already
// decoded and cut to sane lengths so that a batch of them stays small whatever the server sends.
struct ImapMessage
{
    quint32 uid = 0;
    QString senderName;
    QString senderAddress;
    QString subject;
    QString messageId;
    QDateTime date;
    // The first text part, for a privacy-"full" excerpt: its section ("1", "1.2", ...) and how it is encoded.
    QByteArray textSection;
    QByteArray textEncoding;
    QByteArray textCharset;
    QString excerpt;
};

} // namespace herald
