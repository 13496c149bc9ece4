#include "metrics/Gauge.h"

namespace herald::metrics {

Gauge::Gauge(QByteArray name, QByteArray help, QByteArrayList labelNames)
    : Metric(std::move(name), std::move(help), QByteArrayLiteral("gauge"), std::move(labelNames))
{
}

void Gauge::set(const QStringList &labelValues, double value)
{
    const QStringList key = fit(labelValues);
    QMutexLocker lock(&m_mutex);
    m_values[key] = value;
}

void Gauge::setCollector(Collector collector)
{
    QMutexLocker lock(&m_mutex);
    m_collector = std::move(collector);
}

QMap<QStringList, double> Gauge::current() const
{
    if (!m_collector)
        return m_values;
    QMap<QStringList, double> fitted;
    const QMap<QStringList, double> collected = m_collector();
    for (auto it = collected.cbegin(); it != collected.cend(); ++it)
        fitted.insert(fit(it.key()), it.value());
    return fitted;
}

double Gauge::value(const QStringList &labelValues) const
{
    QMutexLocker lock(&m_mutex);
    return current().value(fit(labelValues));
}

void Gauge::writeSamples(QByteArray &out) const
{
    const QMap<QStringList, double> values = current();
    if (labelNames().isEmpty() && values.isEmpty())
        out += series({}, {}) + " 0\n";
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        out += series({}, it.key()) + ' ' + formatValue(it.value()) + '\n';
}

} // namespace herald::metrics
