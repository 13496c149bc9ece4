#pragma once

#include <QByteArray>
#include <QString>

namespace herald {

// Cuts the byte stream from an IMAP server into complete responses: a line, plus every literal
// ({n}CRLF followed by n bytes) and the line continuing after it. It enforces hard caps so that a
// hostile or broken server cannot make us buffer without bound: any violation is an error and the
// caller drops the connection.
class ImapResponseReader
{
public:
    struct Limits
    {
        int maxLineBytes = 64 * 1024;
        qint64 maxLiteralBytes = 1024 * 1024;
        qint64 maxResponseBytes = 4 * 1024 * 1024;
    };
    enum class Result { NeedMore, Complete, Error };

    ImapResponseReader() = default;
    explicit ImapResponseReader(const Limits &limits) : m_limits(limits) {}

    void append(const QByteArray &data) { m_buffer.append(data); }
    // Complete: *response holds one whole response including its final CRLF.
    // Error: *error says which limit or syntax rule was broken; the reader must be cleared.
    Result next(QByteArray *response, QString *error);
    void clear();
    qint64 bufferedBytes() const { return m_buffer.size(); }

private:
    Limits m_limits;
    QByteArray m_buffer;
    qint64 m_lineStart = 0;        // start of the line segment being scanned
    qint64 m_literalRemaining = 0; // bytes of literal still to skip before the next line segment
};

} // namespace herald
