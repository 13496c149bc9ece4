#pragma once

#include "metrics/Metric.h"

#include <QList>
#include <QMap>

namespace herald::metrics {

// Observations counted into cumulative buckets (upper bounds, seconds for latencies), with their
// sum and count: _bucket{le=...}, _sum and _count in the exposition.
class Histogram : public Metric
{
public:
    Histogram(QByteArray name, QByteArray help, QList<double> upperBounds, QByteArrayList labelNames = {});
    void observe(const QStringList &labelValues, double value);
    quint64 count(const QStringList &labelValues = {}) const;

protected:
    void writeSamples(QByteArray &out) const override;

private:
    struct Series
    {
        QList<quint64> buckets; // per bound, not cumulative; the last is +Inf
        double sum = 0;
        quint64 count = 0;
    };
    QList<double> m_bounds;
    QMap<QStringList, Series> m_series;
};

} // namespace herald::metrics
