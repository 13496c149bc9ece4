#pragma once

#include <QString>

#include <optional>

namespace herald {

// One token-bucket limit: `ratePerSec` tokens flow in, up to `burst` are kept. Written in the
// configuration as "RATE/UNIT" with an optional " burst N" (unit s, min or h; the burst defaults
// to one unit's worth), e.g. "20/s burst 600" or "10/min"; "off" turns the limit off.
struct RateLimit
{
    double ratePerSec = 0;
    double burst = 0;

    bool enabled() const { return ratePerSec > 0 && burst >= 1; }
    // The canonical text of this limit ("20/s burst 600", "off").
    QString toString() const;
    // nullopt with `error` set when the text is not of the form above.
    static std::optional<RateLimit> parse(const QString &text, QString *error);
};

} // namespace herald
