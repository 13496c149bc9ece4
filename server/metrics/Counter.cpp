#include "metrics/Counter.h"

namespace herald::metrics {

Counter::Counter(QByteArray name, QByteArray help, QByteArrayList labelNames)
    : Metric(std::move(name), std::move(help), QByteArrayLiteral("counter"), std::move(labelNames))
{
}

void Counter::inc(const QStringList &labelValues, double by)
{
    if (!(by >= 0))
        return; // a counter never goes down (and NaN is no amount)
    const QStringList key = fit(labelValues);
    QMutexLocker lock(&m_mutex);
    m_values[key] += by;
}

double Counter::value(const QStringList &labelValues) const
{
    QMutexLocker lock(&m_mutex);
    return m_values.value(fit(labelValues));
}

void Counter::writeSamples(QByteArray &out) const
{
    // Without labels the single series exists from the start, so a scrape sees 0 before the first event.
    if (labelNames().isEmpty() && m_values.isEmpty())
        out += series({}, {}) + " 0\n";
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it)
        out += series({}, it.key()) + ' ' + formatValue(it.value()) + '\n';
}

} // namespace herald::metrics
