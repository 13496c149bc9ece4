#include "metrics/MetricsRegistry.h"

namespace herald::metrics {

bool MetricsRegistry::isValidName(const QByteArray &name)
{
    if (name.isEmpty() || (name.at(0) >= '0' && name.at(0) <= '9'))
        return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
        if (!ok)
            return false;
    }
    return true;
}

bool MetricsRegistry::isValidLabelName(const QByteArray &name)
{
    // "le" is the histogram's own; names starting with "__" are reserved by Prometheus.
    return isValidName(name) && !name.contains(':') && !name.startsWith("__") && name != "le";
}

template<typename T>
T *MetricsRegistry::add(std::unique_ptr<T> metric)
{
    Q_ASSERT(isValidName(metric->name()));
    for (const QByteArray &label : metric->labelNames())
        Q_ASSERT(isValidLabelName(label));
    for (const auto &existing : m_metrics)
        Q_ASSERT(existing->name() != metric->name());
    T *raw = metric.get();
    m_metrics.push_back(std::move(metric));
    return raw;
}

Counter *MetricsRegistry::counter(const QByteArray &name, const QByteArray &help, const QByteArrayList &labels)
{
    Q_ASSERT(name.endsWith("_total"));
    return add(std::make_unique<Counter>(name, help, labels));
}

Gauge *MetricsRegistry::gauge(const QByteArray &name, const QByteArray &help, const QByteArrayList &labels)
{
    return add(std::make_unique<Gauge>(name, help, labels));
}

Histogram *MetricsRegistry::histogram(const QByteArray &name, const QByteArray &help, const QList<double> &bounds,
                                      const QByteArrayList &labels)
{
    return add(std::make_unique<Histogram>(name, help, bounds, labels));
}

QByteArray MetricsRegistry::exposition() const
{
    QByteArray out;
    out.reserve(8192);
    for (const auto &metric : m_metrics)
        metric->write(out);
    return out;
}

} // namespace herald::metrics
