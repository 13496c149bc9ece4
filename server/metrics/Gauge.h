#pragma once

#include "metrics/Metric.h"

#include <QMap>

#include <functional>

namespace herald::metrics {

// A value that goes up and down. Either set directly, or read when scraped from a collector
// (sessions, outbox depth: the owner already knows the number, keeping a copy would only drift).
class Gauge : public Metric
{
public:
    using Collector = std::function<QMap<QStringList, double>()>;

    Gauge(QByteArray name, QByteArray help, QByteArrayList labelNames = {});
    void set(const QStringList &labelValues, double value);
    void setCollector(Collector collector);
    double value(const QStringList &labelValues = {}) const;

protected:
    void writeSamples(QByteArray &out) const override;

private:
    QMap<QStringList, double> current() const;
    QMap<QStringList, double> m_values;
    Collector m_collector;
};

} // namespace herald::metrics
