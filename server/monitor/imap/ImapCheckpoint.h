#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

namespace herald {

// The monitor's resume point, stored by the caller and handed back at the next start: per mailbox,
// its UIDVALIDITY and the highest UID already reported. Serialised as compact JSON so that an
// operator can read it in the database: {"v":1,"m":{"INBOX":[1795835986,42]}}.
class ImapCheckpoint
{
public:
    struct Mark
    {
        quint32 uidValidity = 0;
        quint32 lastUid = 0;
    };

    static ImapCheckpoint fromBytes(const QByteArray &bytes, bool *ok = nullptr);
    QByteArray toBytes() const;

    bool contains(const QString &mailbox) const { return m_marks.contains(mailbox); }
    Mark mark(const QString &mailbox) const { return m_marks.value(mailbox); }
    void setMark(const QString &mailbox, Mark mark) { m_marks.insert(mailbox, mark); }
    bool isEmpty() const { return m_marks.isEmpty(); }

private:
    QMap<QString, Mark> m_marks;
};

} // namespace herald
