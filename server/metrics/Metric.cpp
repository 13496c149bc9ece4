#include "metrics/Metric.h"

#include <QLocale>

#include <cmath>

namespace herald::metrics {

Metric::Metric(QByteArray name, QByteArray help, QByteArray type, QByteArrayList labelNames)
    : m_name(std::move(name))
    , m_help(std::move(help))
    , m_type(std::move(type))
    , m_labelNames(std::move(labelNames))
{
}

void Metric::write(QByteArray &out) const
{
    QByteArray help = m_help;
    help.replace('\\', "\\\\").replace('\n', "\\n");
    out += "# HELP " + m_name + ' ' + help + '\n';
    out += "# TYPE " + m_name + ' ' + m_type + '\n';
    QMutexLocker lock(&m_mutex);
    writeSamples(out);
}

QByteArray Metric::formatValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    // Counts stay whole numbers on the wire; 2^53 is where doubles stop being exact integers.
    if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest); // 0.005, not 0.0050000000000000001
}

QByteArray Metric::escapeLabelValue(const QString &value)
{
    QByteArray v = value.toUtf8();
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return v;
}

QByteArray Metric::series(const QByteArray &suffix, const QStringList &values, const QByteArray &extra) const
{
    QByteArray line = m_name + suffix;
    if (m_labelNames.isEmpty() && extra.isEmpty())
        return line;
    line += '{';
    for (int i = 0; i < m_labelNames.size(); ++i) {
        if (i > 0)
            line += ',';
        line += m_labelNames.at(i) + "=\"" + escapeLabelValue(values.value(i)) + '"';
    }
    if (!extra.isEmpty())
        line += (m_labelNames.isEmpty() ? QByteArray() : QByteArrayLiteral(",")) + extra;
    line += '}';
    return line;
}

QStringList Metric::fit(const QStringList &values) const
{
    QStringList fitted = values.mid(0, m_labelNames.size());
    while (fitted.size() < m_labelNames.size())
        fitted << QString();
    return fitted;
}

} // namespace herald::metrics
