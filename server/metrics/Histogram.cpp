#include "metrics/Histogram.h"

#include <algorithm>
#include <cmath>

namespace herald::metrics {

Histogram::Histogram(QByteArray name, QByteArray help, QList<double> upperBounds, QByteArrayList labelNames)
    : Metric(std::move(name), std::move(help), QByteArrayLiteral("histogram"), std::move(labelNames))
    , m_bounds(std::move(upperBounds))
{
    std::sort(m_bounds.begin(), m_bounds.end());
    m_bounds.erase(std::unique(m_bounds.begin(), m_bounds.end()), m_bounds.end());
}

void Histogram::observe(const QStringList &labelValues, double value)
{
    if (std::isnan(value))
        return;
    const QStringList key = fit(labelValues);
    QMutexLocker lock(&m_mutex);
    Series &s = m_series[key];
    if (s.buckets.isEmpty())
        s.buckets.fill(0, m_bounds.size() + 1);
    const auto slot = std::lower_bound(m_bounds.cbegin(), m_bounds.cend(), value) - m_bounds.cbegin();
    ++s.buckets[slot];
    s.sum += value;
    ++s.count;
}

quint64 Histogram::count(const QStringList &labelValues) const
{
    QMutexLocker lock(&m_mutex);
    return m_series.value(fit(labelValues)).count;
}

void Histogram::writeSamples(QByteArray &out) const
{
    QMap<QStringList, Series> all = m_series;
    if (labelNames().isEmpty() && all.isEmpty())
        all.insert({}, Series{QList<quint64>(m_bounds.size() + 1, 0), 0, 0});
    for (auto it = all.cbegin(); it != all.cend(); ++it) {
        quint64 cumulative = 0;
        for (int i = 0; i <= m_bounds.size(); ++i) {
            cumulative += it->buckets.value(i);
            const QByteArray le = i < m_bounds.size() ? formatValue(m_bounds.at(i)) : QByteArrayLiteral("+Inf");
            out += series(QByteArrayLiteral("_bucket"), it.key(), "le=\"" + le + '"') + ' ' + formatValue(double(cumulative)) + '\n';
        }
        out += series(QByteArrayLiteral("_sum"), it.key()) + ' ' + formatValue(it->sum) + '\n';
        out += series(QByteArrayLiteral("_count"), it.key()) + ' ' + formatValue(double(it->count)) + '\n';
    }
}

} // namespace herald::metrics
