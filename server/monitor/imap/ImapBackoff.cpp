#include "ImapBackoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace herald {

int ImapBackoff::nextDelayMs()
{
    const int shift = std::min(m_failures, 30);
    ++m_failures;
    const qint64 ceiling = std::min<qint64>(qint64(m_minMs) << shift, m_maxMs);
    const qint64 floor = std::max<qint64>(ceiling / 2, 1);
    return int(floor + QRandomGenerator::global()->bounded(ceiling - floor + 1));
}

} // namespace herald
