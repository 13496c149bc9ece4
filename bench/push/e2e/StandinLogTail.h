#pragma once

#include <QByteArray>
#include <QFile>
#include <functional>

// Follows apns-standin's --log file ("<monotonic ns> <status> <nid>" lines) from where it stood
// when opened, handing over whole lines only.
class StandinLogTail
{
public:
    using Line = std::function<void(qint64 monotonicNs, int status, const QByteArray &nid)>;

    bool open(const QString &path, QString *error);
    void poll(const Line &onLine); // reads what was appended since the last call

private:
    QFile m_file;
    QByteArray m_partial;
};
