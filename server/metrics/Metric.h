#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QMutex>
#include <QStringList>

namespace herald::metrics {

// One metric family of the Prometheus text format (version 0.0.4): a name, its help line, a type
// and samples told apart by label values. Families are written by /metrics and updated from the
// event loop and, for storage commits, from the background writer's thread: hence the mutex.
class Metric
{
public:
    Metric(QByteArray name, QByteArray help, QByteArray type, QByteArrayList labelNames);
    virtual ~Metric() = default;
    Metric(const Metric &) = delete;
    Metric &operator=(const Metric &) = delete;

    const QByteArray &name() const { return m_name; }
    const QByteArrayList &labelNames() const { return m_labelNames; }
    // "# HELP", "# TYPE" and every sample.
    void write(QByteArray &out) const;

    // Exposition helpers, shared by the families.
    static QByteArray formatValue(double value);
    static QByteArray escapeLabelValue(const QString &value);
    // name{a="x",b="y"} with `extra` (e.g. le="0.5") appended; no braces without labels.
    QByteArray series(const QByteArray &suffix, const QStringList &values, const QByteArray &extra = {}) const;

protected:
    virtual void writeSamples(QByteArray &out) const = 0; // called with m_mutex held
    // Label values must match the label names in number; extra ones are cut, missing ones empty.
    QStringList fit(const QStringList &values) const;
    mutable QMutex m_mutex;

private:
    QByteArray m_name;
    QByteArray m_help;
    QByteArray m_type;
    QByteArrayList m_labelNames;
};

} // namespace herald::metrics
