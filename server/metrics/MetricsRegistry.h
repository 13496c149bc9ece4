#pragma once

#include "metrics/Counter.h"
#include "metrics/Gauge.h"
#include "metrics/Histogram.h"

#include <memory>
#include <vector>

namespace herald::metrics {

// The server's metric families, in the order they were made, and their text exposition.
// Families are made once at start (names are checked then: a bad or repeated name is a bug,
// so it asserts); samples change at any time after.
class MetricsRegistry
{
public:
    Counter *counter(const QByteArray &name, const QByteArray &help, const QByteArrayList &labels = {});
    Gauge *gauge(const QByteArray &name, const QByteArray &help, const QByteArrayList &labels = {});
    Histogram *histogram(const QByteArray &name, const QByteArray &help, const QList<double> &bounds,
                         const QByteArrayList &labels = {});

    QByteArray exposition() const;
    static bool isValidName(const QByteArray &name);
    static bool isValidLabelName(const QByteArray &name);

private:
    template<typename T>
    T *add(std::unique_ptr<T> metric);
    std::vector<std::unique_ptr<Metric>> m_metrics;
};

} // namespace herald::metrics
