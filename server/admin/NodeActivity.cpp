#include "admin/NodeActivity.h"

#include "admin/AdminLog.h"
#include "admin/NodeSummary.h"
#include "presence/PresenceTracker.h"
#include "presence/TerminalSession.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>
#include <limits>

namespace herald {
namespace {

// The report's members. Short, since every node writes one each heartbeat; a later version that
// changes what one means raises "v", one that only adds members keeps it.
const QString VersionKey = QStringLiteral("v");
const QString DevicesKey = QStringLiteral("devices"); // [foreground, background, closed]
const QString MinuteKey = QStringLiteral("minute");   // [events, inband, push, failed, seenInApp]
const QString HourKey = QStringLiteral("hour");       // the same
const QString SeriesKey = QStringLiteral("series");   // [[minute start (s), the same five], ...]

constexpr int KindCount = ActivityCounters::KindCount;
constexpr qint64 WarnEveryMs = 60'000;

int addCapped(int a, int b)
{
    const qint64 sum = qint64(a) + qint64(b);
    return int(std::min<qint64>(sum, std::numeric_limits<int>::max()));
}

ActivityCounters::Counts &addCapped(ActivityCounters::Counts &to, const ActivityCounters::Counts &from)
{
    for (int k = 0; k < KindCount; ++k) {
        const auto kind = ActivityCounters::Kind(k);
        to[kind] = addCapped(to[kind], from.at(kind));
    }
    return to;
}

bool isEmpty(const ActivityCounters::Counts &c)
{
    for (int k = 0; k < KindCount; ++k) {
        if (c.at(ActivityCounters::Kind(k)) != 0)
            return false;
    }
    return true;
}

QJsonArray countsArray(const ActivityCounters::Counts &c)
{
    QJsonArray a;
    for (int k = 0; k < KindCount; ++k)
        a.append(c.at(ActivityCounters::Kind(k)));
    return a;
}

// A whole number in [0, max], or nullopt: JSON numbers are doubles, and a hostile row may hold
// 1e300, -1 or 0.5.
std::optional<qint64> wholeNumber(const QJsonValue &v, qint64 max)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!(d >= 0 && d <= double(max)) || std::floor(d) != d)
        return std::nullopt;
    return qint64(d);
}

// The five counts of `a` from index `from`, each a whole number in range.
bool readCounts(const QJsonArray &a, qsizetype from, ActivityCounters::Counts *out)
{
    for (int k = 0; k < KindCount; ++k) {
        const auto n = wholeNumber(a.at(from + k), NodeActivity::MaxCount);
        if (!n)
            return false;
        (*out)[ActivityCounters::Kind(k)] = int(*n);
    }
    return true;
}

std::optional<NodeActivity::Totals> fail(QString *why, const QString &reason)
{
    if (why)
        *why = reason;
    return std::nullopt;
}

} // namespace

int NodeActivity::Devices::online() const
{
    return addCapped(addCapped(foreground, background), closed);
}

NodeActivity::Totals &NodeActivity::Totals::operator+=(const Totals &other)
{
    devices.foreground = addCapped(devices.foreground, other.devices.foreground);
    devices.background = addCapped(devices.background, other.devices.background);
    devices.closed = addCapped(devices.closed, other.devices.closed);
    addCapped(lastMinute, other.lastMinute);
    addCapped(lastHour, other.lastHour);
    for (auto it = other.minutes.cbegin(); it != other.minutes.cend(); ++it)
        addCapped(minutes[it.key()], it.value());
    return *this;
}

NodeActivity::NodeActivity(const PresenceTracker &presence, ActivityCounters &counters)
    : m_presence(presence), m_counters(counters), m_clock(&QDateTime::currentMSecsSinceEpoch)
{
}

Presence NodeActivity::devicePresence(const TerminalSession &session)
{
    Presence best = Presence::Closed;
    const auto apps = session.appStates();
    for (auto it = apps.cbegin(); it != apps.cend(); ++it) {
        const Presence p = session.presence(it.key());
        if (p == Presence::Foreground)
            return p;
        if (p == Presence::Background)
            best = p;
    }
    return best;
}

NodeActivity::Totals NodeActivity::live() const
{
    Totals t;
    for (const TerminalSession *session : m_presence.sessions()) {
        if (!session->isReady())
            continue; // not yet welcomed: not online for the stats
        switch (devicePresence(*session)) {
        case Presence::Foreground:
            ++t.devices.foreground;
            break;
        case Presence::Background:
            ++t.devices.background;
            break;
        default:
            ++t.devices.closed;
            break;
        }
    }
    t.lastMinute = m_counters.lastMinute();
    t.lastHour = m_counters.lastHour();
    for (const ActivityCounters::Minute &m : m_counters.series()) {
        if (!isEmpty(m.counts)) // most minutes of a quiet node are empty: the report stays small
            t.minutes.insert(m.start.toSecsSinceEpoch(), m.counts);
    }
    return t;
}

std::array<ActivityCounters::Minute, ActivityCounters::Minutes>
NodeActivity::series(const Totals &totals) const
{
    auto window = m_counters.series();
    for (ActivityCounters::Minute &m : window)
        m.counts = totals.minutes.value(m.start.toSecsSinceEpoch());
    return window;
}

QByteArray NodeActivity::toJson(const Totals &totals)
{
    QJsonArray series;
    for (auto it = totals.minutes.cbegin(); it != totals.minutes.cend(); ++it) {
        QJsonArray row{it.key()};
        for (const QJsonValue &v : countsArray(it.value()))
            row.append(v);
        series.append(row);
    }
    const QJsonObject o{
        {VersionKey, Version},
        {DevicesKey, QJsonArray{totals.devices.foreground, totals.devices.background, totals.devices.closed}},
        {MinuteKey, countsArray(totals.lastMinute)},
        {HourKey, countsArray(totals.lastHour)},
        {SeriesKey, series}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<NodeActivity::Totals> NodeActivity::fromJson(const QByteArray &json, QString *why)
{
    if (json.isEmpty())
        return fail(why, QStringLiteral("no report (a version before 18?)"));
    if (json.size() > MaxReportBytes)
        return fail(why,
                    QStringLiteral("report of %1 bytes, more than %2").arg(json.size()).arg(MaxReportBytes));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(why, QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    if (o.value(VersionKey) != QJsonValue(Version))
        return fail(why, QStringLiteral("not a report of version %1").arg(Version));

    Totals t;
    const QJsonArray devices = o.value(DevicesKey).toArray();
    const auto fg = wholeNumber(devices.at(0), MaxCount), bg = wholeNumber(devices.at(1), MaxCount),
               closed = wholeNumber(devices.at(2), MaxCount);
    if (!o.value(DevicesKey).isArray() || devices.size() != 3 || !fg || !bg || !closed)
        return fail(why, QStringLiteral("bad \"devices\""));
    t.devices = {int(*fg), int(*bg), int(*closed)};
    const QJsonArray minute = o.value(MinuteKey).toArray(), hour = o.value(HourKey).toArray();
    if (minute.size() != KindCount || !readCounts(minute, 0, &t.lastMinute))
        return fail(why, QStringLiteral("bad \"minute\""));
    if (hour.size() != KindCount || !readCounts(hour, 0, &t.lastHour))
        return fail(why, QStringLiteral("bad \"hour\""));

    const QJsonValue seriesValue = o.value(SeriesKey);
    const QJsonArray series = seriesValue.toArray();
    if (!seriesValue.isArray() || series.size() > ActivityCounters::Minutes)
        return fail(why, QStringLiteral("bad \"series\""));
    // Minute starts are seconds since 1970 on a whole minute; anything past year 9999 is not one.
    constexpr qint64 MaxMinuteStart = 253'402'300'740;
    for (const QJsonValue &v : series) {
        const QJsonArray row = v.toArray();
        const auto start = wholeNumber(row.at(0), MaxMinuteStart);
        ActivityCounters::Counts counts;
        if (!v.isArray() || row.size() != 1 + KindCount || !start || *start % 60 != 0 ||
            !readCounts(row, 1, &counts))
            return fail(why, QStringLiteral("bad \"series\" entry"));
        if (t.minutes.contains(*start))
            return fail(why, QStringLiteral("\"series\" names a minute twice"));
        if (!isEmpty(counts))
            t.minutes.insert(*start, counts);
    }
    return t;
}

NodeActivity::Totals NodeActivity::cluster(const Totals &self, const QList<NodeRecord> &nodes,
                                           qint64 aliveSinceMs, const QString &selfClaimer)
{
    Totals sum = self;
    for (const NodeRecord &node : nodes) {
        if (node.claimer == selfClaimer || !NodeSummary::isAlive(node, aliveSinceMs))
            continue; // this run counts live; a stopped node's sessions are offline, its counts gone
        QString why;
        if (const auto theirs = fromJson(node.activity, &why))
            sum += *theirs;
        else
            ignore(node, why);
    }
    return sum;
}

void NodeActivity::ignore(const NodeRecord &node, const QString &why)
{
    const qint64 now = m_clock();
    // Forget runs not warned about for a while, so that restarts do not grow the table.
    for (auto it = m_warnedAt.begin(); it != m_warnedAt.end();)
        it = now - it.value() >= WarnEveryMs ? m_warnedAt.erase(it) : std::next(it);
    if (m_warnedAt.contains(node.claimer))
        return;
    m_warnedAt.insert(node.claimer, now);
    // The node's name (quoted, so control characters are escaped) and the reason only: the text
    // itself may be anything, of any size.
    qCWarning(lcAdmin) << "the stats leave out node" << node.node.left(64) << "run" << node.claimer.left(40)
                       << qUtf8Printable(why);
}

} // namespace herald
