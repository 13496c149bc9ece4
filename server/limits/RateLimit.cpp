#include "limits/RateLimit.h"

#include <QRegularExpression>

#include <cmath>

namespace herald {

QString RateLimit::toString() const
{
    if (!enabled())
        return QStringLiteral("off");
    struct Unit
    {
        const char *name;
        double secs;
    };
    const Unit units[] = {{"s", 1}, {"min", 60}, {"h", 3600}};
    auto whole = [](double x) { return std::abs(x - std::round(x)) < 1e-6; };
    auto rateIn = [this](const Unit &unit) {
        return QString::number(std::round(ratePerSec * unit.secs * 1e6) / 1e6, 'g', 12) + QLatin1Char('/') +
               QLatin1String(unit.name);
    };
    // The short form when the burst is one unit's worth ("10/min"), else the smallest unit in which
    // the rate is a whole number ("20/s burst 600").
    for (const Unit &unit : units) {
        const double perUnit = ratePerSec * unit.secs;
        if (whole(perUnit) && std::abs(burst - perUnit) < 1e-6)
            return rateIn(unit);
    }
    for (const Unit &unit : units) {
        if (whole(ratePerSec * unit.secs) || unit.secs == 3600)
            return rateIn(unit) + QStringLiteral(" burst ") + QString::number(burst, 'g', 12);
    }
    return QStringLiteral("off");
}

std::optional<RateLimit> RateLimit::parse(const QString &text, QString *error)
{
    const QString t = text.trimmed();
    if (t == QLatin1String("off"))
        return RateLimit{};
    static const QRegularExpression re(QStringLiteral(R"(^(\d{1,9}(?:\.\d{1,6})?)\s*/\s*(s|min|h)(?:\s+burst\s+(\d{1,9}))?\z)"));
    const auto m = re.match(t);
    if (!m.hasMatch()) {
        *error = QStringLiteral("'%1' is not RATE/UNIT [burst N] (unit s, min or h) or 'off'").arg(t.left(80));
        return std::nullopt;
    }
    const double perUnit = m.captured(1).toDouble();
    const QString unit = m.captured(2);
    const double secs = unit == QLatin1String("h") ? 3600 : unit == QLatin1String("min") ? 60 : 1;
    RateLimit limit;
    limit.ratePerSec = perUnit / secs;
    limit.burst = m.captured(3).isEmpty() ? std::floor(perUnit) : m.captured(3).toDouble();
    if (perUnit <= 0 || limit.burst < 1) {
        *error = QStringLiteral("'%1': the rate must be above 0 and the burst at least 1 (or say 'off')").arg(t.left(80));
        return std::nullopt;
    }
    return limit;
}

} // namespace herald
