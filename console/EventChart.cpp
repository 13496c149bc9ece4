#include "EventChart.h"

#include <QJsonObject>
#include <QPainter>
#include <QPainterPath>

namespace herald {
namespace {
constexpr int Minutes = 60;

QDateTime minuteOf(const QDateTime &t)
{
    const QDateTime utc = t.toUTC();
    return QDateTime(utc.date(), QTime(utc.time().hour(), utc.time().minute()), Qt::UTC);
}
} // namespace

EventChart::EventChart(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("eventChart"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void EventChart::setSeries(const QJsonArray &series)
{
    m_minutes.clear();
    for (const QJsonValue &v : series) {
        const QJsonObject o = v.toObject();
        Minute m;
        m.start = minuteOf(QDateTime::fromString(o.value(QStringLiteral("minute")).toString(), Qt::ISODateWithMs));
        m.values[Events] = o.value(QStringLiteral("events")).toInt();
        m.values[InBand] = o.value(QStringLiteral("inband")).toInt();
        m.values[Push] = o.value(QStringLiteral("push")).toInt();
        m.values[Failed] = o.value(QStringLiteral("failed")).toInt();
        m_minutes.append(m);
    }
    while (m_minutes.size() > Minutes)
        m_minutes.removeFirst();
    update();
}

void EventChart::count(Series series, const QDateTime &at)
{
    const QDateTime minute = minuteOf(at);
    if (m_minutes.isEmpty() || m_minutes.last().start < minute) {
        Minute m;
        m.start = minute;
        m_minutes.append(m);
        while (m_minutes.size() > Minutes)
            m_minutes.removeFirst();
    }
    for (int i = int(m_minutes.size()) - 1; i >= 0; --i) {
        if (m_minutes.at(i).start == minute) {
            ++m_minutes[i].values[series];
            break;
        }
    }
    update();
}

int EventChart::valueAt(Series series, int minutesAgo) const
{
    const int index = int(m_minutes.size()) - 1 - minutesAgo;
    return index >= 0 ? m_minutes.at(index).values[series] : 0;
}

QColor EventChart::colour(Series series)
{
    switch (series) {
    case Events:
        return QColor(0x8e, 0x6c, 0xef);
    case InBand:
        return QColor(0x2e, 0xb8, 0x4b);
    case Push:
        return QColor(0x2f, 0x80, 0xed);
    default:
        return QColor(0xe5, 0x48, 0x4d);
    }
}

QString EventChart::label(Series series) const
{
    switch (series) {
    case Events:
        return tr("events");
    case InBand:
        return tr("in-band");
    case Push:
        return tr("push");
    default:
        return tr("failures");
    }
}

void EventChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QFontMetrics fm = fontMetrics();
    int maxValue = 1;
    for (const Minute &m : m_minutes) {
        for (int s = 0; s < SeriesCount; ++s)
            maxValue = qMax(maxValue, m.values[s]);
    }
    const QString maxText = QString::number(maxValue);
    const QRect plot = rect().adjusted(fm.horizontalAdvance(maxText) + 12, fm.height() + 12, -10, -fm.height() - 10);
    if (plot.width() < 20 || plot.height() < 20)
        return;

    p.setPen(QPen(pal.color(QPalette::Mid), 1, Qt::DotLine));
    for (int i = 0; i <= 4; ++i) {
        const int y = plot.bottom() - plot.height() * i / 4;
        p.drawLine(plot.left(), y, plot.right(), y);
    }
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(0, plot.top() - fm.height() / 2, plot.left() - 6, fm.height()), Qt::AlignRight, maxText);
    p.drawText(QRect(0, plot.bottom() - fm.height() / 2, plot.left() - 6, fm.height()), Qt::AlignRight, QStringLiteral("0"));
    p.drawText(QRect(plot.left(), plot.bottom() + 4, plot.width(), fm.height()), Qt::AlignLeft, tr("60 min ago"));
    p.drawText(QRect(plot.left(), plot.bottom() + 4, plot.width(), fm.height()), Qt::AlignRight, tr("now"));

    // The x axis is time: minute 0 is now, missing minutes count as zero.
    const QDateTime now = minuteOf(QDateTime::currentDateTimeUtc());
    for (int s = 0; s < SeriesCount; ++s) {
        QPainterPath path;
        for (int ago = Minutes - 1; ago >= 0; --ago) {
            int value = 0;
            const QDateTime minute = now.addSecs(-60LL * ago);
            for (const Minute &m : m_minutes) {
                if (m.start == minute)
                    value = m.values[s];
            }
            const qreal x = plot.left() + plot.width() * qreal(Minutes - 1 - ago) / (Minutes - 1);
            const qreal y = plot.bottom() - plot.height() * qreal(value) / maxValue;
            if (ago == Minutes - 1)
                path.moveTo(x, y);
            else
                path.lineTo(x, y);
        }
        p.setPen(QPen(colour(Series(s)), 2));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
    }
    // Legend along the top.
    int x = plot.left();
    for (int s = 0; s < SeriesCount; ++s) {
        p.setPen(Qt::NoPen);
        p.setBrush(colour(Series(s)));
        p.drawRect(x, 6 + fm.height() / 2 - 4, 14, 8);
        p.setPen(pal.color(QPalette::Text));
        const QString text = label(Series(s));
        p.drawText(x + 18, 6 + fm.ascent(), text);
        x += 18 + fm.horizontalAdvance(text) + 16;
    }
}

} // namespace herald
