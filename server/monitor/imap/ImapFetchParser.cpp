#include "ImapFetchParser.h"

#include "MimeText.h"

#include <QTimeZone>

namespace herald {

namespace {
QString cut(QString s, int max)
{
    if (s.size() > max)
        s.truncate(max);
    return s;
}
} // namespace

bool ImapFetchParser::parse(const ImapResponse &response, ImapMessage *message, Result *result, QString *error)
{
    *result = Result();
    if (response.values.size() != 1 || !response.values.first().isList()) {
        *error = QStringLiteral("FETCH response is not a list");
        return false;
    }
    const QList<ImapValue> &items = response.values.first().items;
    if (items.size() % 2 != 0) {
        *error = QStringLiteral("FETCH response has an odd number of items");
        return false;
    }
    for (qsizetype i = 0; i + 1 < items.size(); i += 2) {
        const QByteArray key = items.at(i).bytes().toUpper();
        const ImapValue &value = items.at(i + 1);
        if (key == "UID") {
            const qint64 uid = value.number();
            if (uid <= 0) {
                *error = QStringLiteral("FETCH response with an invalid UID");
                return false;
            }
            result->uid = quint32(uid);
            message->uid = quint32(uid);
        } else if (key == "ENVELOPE") {
            if (!readEnvelope(value, message, error))
                return false;
            result->hasEnvelope = true;
        } else if (key == "INTERNALDATE") {
            result->internalDate = parseInternalDate(value.bytes());
            if (!message->date.isValid())
                message->date = parseInternalDate(value.bytes());
        } else if (key == "BODYSTRUCTURE") {
            if (value.isList())
                findTextPart(value, QByteArray(), message, 0);
        } else if (key.startsWith("BODY[")) {
            result->hasBody = true;
            result->body = value.bytes();
        }
    }
    return true;
}

bool ImapFetchParser::readEnvelope(const ImapValue &envelope, ImapMessage *message, QString *error)
{
    // RFC 3501 7.4.2: (date subject from sender reply-to to cc bcc in-reply-to message-id)
    if (!envelope.isList() || envelope.items.size() != 10) {
        *error = QStringLiteral("ENVELOPE is not a list of 10 items");
        return false;
    }
    const QList<ImapValue> &e = envelope.items;
    const QDateTime date = QDateTime::fromString(QString::fromLatin1(e.at(0).bytes()).simplified(), Qt::RFC2822Date);
    if (date.isValid())
        message->date = date;
    message->subject = cut(MimeText::decodeHeader(e.at(1).bytes()), MaxSubjectChars);
    message->messageId = cut(QString::fromLatin1(e.at(9).bytes()).simplified(), MaxNameChars);
    // The first real address of From (group markers have a NIL host). Wrong types inside the
    // address structure are tolerated as missing values: the message still exists and is worth a
    // notification even when its sender cannot be read.
    if (e.at(2).isList()) {
        for (const ImapValue &address : e.at(2).items) {
            if (!address.isList() || address.items.size() != 4 || address.items.at(3).isNil())
                continue;
            message->senderName = cut(MimeText::decodeHeader(address.items.at(0).bytes()), MaxNameChars);
            const QByteArray mailbox = address.items.at(2).bytes();
            const QByteArray host = address.items.at(3).bytes();
            message->senderAddress = cut(MimeText::decodeHeader(mailbox + '@' + host), MaxNameChars);
            break;
        }
    }
    return true;
}

void ImapFetchParser::findTextPart(const ImapValue &structure, const QByteArray &prefix, ImapMessage *message,
                                   int depth)
{
    if (!message->textSection.isEmpty() || depth > 8 || structure.items.isEmpty())
        return;
    const QList<ImapValue> &items = structure.items;
    if (items.first().isList()) {
        // multipart: the sub-parts, then the subtype string and extension data.
        int index = 0;
        for (const ImapValue &part : items) {
            if (!part.isList())
                break;
            ++index;
            const QByteArray section = prefix.isEmpty() ? QByteArray::number(index) : prefix + '.' + QByteArray::number(index);
            findTextPart(part, section, message, depth + 1);
            if (!message->textSection.isEmpty())
                return;
        }
        return;
    }
    // (type subtype (params) id description encoding size ...)
    if (items.size() < 7 || items.at(0).bytes().toLower() != "text")
        return;
    const QByteArray subtype = items.at(1).bytes().toLower();
    if (subtype != "plain" && subtype != "html")
        return;
    if (subtype == "html" && depth > 0)
        return; // in a multipart, keep looking for the plain alternative
    message->textSection = prefix.isEmpty() ? QByteArrayLiteral("1") : prefix;
    message->textEncoding = items.at(5).bytes();
    if (items.at(2).isList()) {
        const QList<ImapValue> &params = items.at(2).items;
        for (qsizetype i = 0; i + 1 < params.size(); i += 2) {
            if (params.at(i).bytes().toLower() == "charset")
                message->textCharset = params.at(i + 1).bytes();
        }
    }
}

QDateTime ImapFetchParser::parseInternalDate(const QByteArray &text)
{
    // "28-Nov-2026 03:19:46 +0000"; day may be space-padded.
    const QList<QByteArray> parts = text.simplified().split(' ');
    if (parts.size() != 3 || parts.at(2).size() != 5)
        return QDateTime();
    const QDateTime local = QLocale::c().toDateTime(QString::fromLatin1(parts.at(0) + ' ' + parts.at(1)),
                                                    QStringLiteral("d-MMM-yyyy HH:mm:ss"));
    if (!local.isValid())
        return QDateTime();
    const QByteArray zone = parts.at(2);
    bool okH = false, okM = false;
    const int hours = zone.mid(1, 2).toInt(&okH);
    const int minutes = zone.mid(3, 2).toInt(&okM);
    if (!okH || !okM || (zone.at(0) != '+' && zone.at(0) != '-'))
        return QDateTime();
    const int offset = (zone.at(0) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    QDateTime dt(local.date(), local.time(), Qt::OffsetFromUTC, offset);
    return dt.toUTC();
}

} // namespace herald
