#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QList>
#include <QWidget>

namespace herald {

// A small painted line chart of the last hour, per minute: events, in-band deliveries, pushes and
// failures. Filled from /admin/v1/stats ("series") and advanced by the live feed between loads.
// Axes and text use the palette; the four series use hues that read on light and dark themes.
class EventChart : public QWidget
{
    Q_OBJECT
public:
    enum Series
    {
        Events,
        InBand,
        Push,
        Failed,
        SeriesCount
    };

    explicit EventChart(QWidget *parent = nullptr);

    void setSeries(const QJsonArray &series);
    // One more happening of `series` in the current minute.
    void count(Series series, const QDateTime &at = QDateTime::currentDateTimeUtc());
    int valueAt(Series series, int minutesAgo) const;

    QSize sizeHint() const override { return {600, 220}; }
    QSize minimumSizeHint() const override { return {240, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Minute
    {
        QDateTime start;
        int values[SeriesCount] = {};
    };
    static QColor colour(Series series);
    QString label(Series series) const;

    QList<Minute> m_minutes; // oldest first, at most 60
};

} // namespace herald
