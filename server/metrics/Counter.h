#pragma once

#include "metrics/Metric.h"

#include <QMap>

namespace herald::metrics {

// Only goes up. Its name ends in _total (the registry checks).
class Counter : public Metric
{
public:
    Counter(QByteArray name, QByteArray help, QByteArrayList labelNames = {});
    void inc(const QStringList &labelValues = {}, double by = 1);
    double value(const QStringList &labelValues = {}) const;

protected:
    void writeSamples(QByteArray &out) const override;

private:
    QMap<QStringList, double> m_values;
};

} // namespace herald::metrics
