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
    int start = 0;
    for (int end = m_partial.indexOf('\n'); end >= 0; end = m_partial.indexOf('\n', start)) {
        const QList<QByteArray> f = m_partial.mid(start, end - start).split(' ');
        if (f.size() == 3)
            onLine(f[0].toLongLong(), f[1].toInt(), f[2]);
        start = end + 1;
    }
    m_partial.remove(0, start);
}
