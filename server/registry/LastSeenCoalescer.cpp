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
    m_spacing.setSingleShot(true);
    connect(&m_spacing, &QTimer::timeout, this, &LastSeenCoalescer::writeNextList);
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
    m_spacing.stop();
    for (const QList<Seen> &list : std::exchange(m_waiting, {}))
        m_write(list);
    QList<Seen> due;
    for (auto it = m_devices.begin(); it != m_devices.end(); ++it) {
        if (it->pending.isValid())
            due.append({it.key(), std::exchange(it->pending, QDateTime())});
    }
    for (const QList<Seen> &list : lists(due))
        m_write(list);
}

QList<QList<LastSeenCoalescer::Seen>> LastSeenCoalescer::lists(const QList<Seen> &due) const
{
    QList<QList<Seen>> out;
    for (qsizetype from = 0; from < due.size(); from += m_maxBatch)
        out.append(due.mid(from, m_maxBatch));
    return out;
}

void LastSeenCoalescer::writeInBatches(QList<Seen> &&due)
{
    if (due.isEmpty())
        return;
    m_waiting.append(lists(due));
    if (!m_spacing.isActive()) // else an earlier sweep's lists are still going out: these follow them
        writeNextList();
}

void LastSeenCoalescer::writeNextList()
{
    // One list per tick: the writer commits it alone or with the events of the moment, and the
    // events after it do not wait for the whole sweep.
    if (m_waiting.isEmpty())
        return;
    m_write(m_waiting.takeFirst());
    while (m_spacingMs == 0 && !m_waiting.isEmpty())
        m_write(m_waiting.takeFirst());
    if (m_waiting.isEmpty())
        emit listsHandedOver();
    else
        m_spacing.start(m_spacingMs);
}

} // namespace herald
