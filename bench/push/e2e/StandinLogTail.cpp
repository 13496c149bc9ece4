#include "StandinLogTail.h"

bool StandinLogTail::open(const QString &path, QString *error)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        *error = m_file.errorString();
        return false;
    }
    m_file.seek(m_file.size()); // earlier runs' lines are not ours
    return true;
}

void StandinLogTail::poll(const Line &onLine)
{
    m_partial += m_file.readAll();
    const QByteArrayView all(m_partial);
    qsizetype start = 0;
    for (qsizetype end = all.indexOf('\n'); end >= 0; end = all.indexOf('\n', start)) {
        // "<ns> <status> <nid>", read in place: a split() per line cost more than the line.
        const QByteArrayView line = all.sliced(start, end - start);
        start = end + 1;
        const qsizetype a = line.indexOf(' ');
        const qsizetype b = a < 0 ? -1 : line.indexOf(' ', a + 1);
        if (b < 0 || line.indexOf(' ', b + 1) >= 0)
            continue;
        onLine(line.first(a).toLongLong(), line.sliced(a + 1, b - a - 1).toInt(), line.sliced(b + 1).toByteArray());
    }
    m_partial.remove(0, start);
}
