#include "registry/LastSeenCoalescer.h"

#include <QElapsedTimer>

#include <memory>

namespace herald {

LastSeenCoalescer::LastSeenCoalescer(int intervalMs, Write write, QObject *parent)
    : QObject(parent)
    , m_intervalMs(std::max(0, intervalMs))
    , m_write(std::move(write))
{
    m_clock = [timer = std::make_shared<QElapsedTimer>()] {
        if (!timer->isValid())
            timer->start();
        return timer->elapsed();
    };
    m_clock();
    connect(&m_timer, &QTimer::timeout, this, &LastSeenCoalescer::sweep);
}

void LastSeenCoalescer::startTimer()
{
    if (m_intervalMs > 0)
        m_timer.start(std::max(100, m_intervalMs / 2)); // a due write waits at most half an interval more
}

void LastSeenCoalescer::touch(qint64 deviceId, const QDateTime &at)
{
    if (m_intervalMs == 0) {
        m_write({{deviceId, at}});
        return;
    }
    const qint64 now = m_clock();
    auto it = m_devices.find(deviceId);
    if (it == m_devices.end()) {
        m_devices.insert(deviceId, Entry{now, {}});
        m_write({{deviceId, at}});
        return;
    }
    if (now - it->writtenAtMs >= m_intervalMs) {
        it->writtenAtMs = now;
        it->pending = QDateTime();
        m_write({{deviceId, at}});
        return;
    }
    it->pending = at;
}

void LastSeenCoalescer::sweep()
{
    const qint64 now = m_clock();
    QList<Seen> due;
    for (auto it = m_devices.begin(); it != m_devices.end();) {
        if (now - it->writtenAtMs < m_intervalMs) {
            ++it;
        } else if (it->pending.isValid()) {
            due.append({it.key(), std::exchange(it->pending, QDateTime())});
            it->writtenAtMs = now;
            ++it;
        } else {
            it = m_devices.erase(it); // quiet for a whole interval: a next touch writes at once anyway
        }
    }
    writeInBatches(std::move(due));
}

void LastSeenCoalescer::flushAll()
{
    QList<Seen> due;
    for (auto it = m_devices.begin(); it != m_devices.end(); ++it) {
        if (it->pending.isValid())
            due.append({it.key(), std::exchange(it->pending, QDateTime())});
    }
    writeInBatches(std::move(due));
}

void LastSeenCoalescer::writeInBatches(QList<Seen> &&due)
{
    if (due.size() <= m_maxBatch) {
        if (!due.isEmpty())
            m_write(due);
        return;
    }
    for (qsizetype from = 0; from < due.size(); from += m_maxBatch)
        m_write(due.mid(from, m_maxBatch));
}

} // namespace herald
