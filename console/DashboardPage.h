#pragma once

#include "ConsolePage.h"

#include <QJsonObject>
#include <QList>

class QLabel;
class QTimer;
class QTreeWidget;

namespace herald {

class EventChart;

// The first tab: counts from GET /admin/v1/stats (devices by platform and presence, events,
// deliveries, outbox depth, monitors, each push provider's state) and a per-minute chart of the
// last hour that the live feed advances as things happen.
class DashboardPage : public ConsolePage
{
    Q_OBJECT
public:
    explicit DashboardPage(AdminClient &client, QWidget *parent = nullptr);

    void refresh() override;
    // Frames of the live feed: notifications and delivery outcomes count in the chart, provider
    // frames change the provider list.
    void applyFrame(const QJsonObject &frame);
    EventChart *chart() const { return m_chart; }

protected:
    void retranslate() override;

private:
    void fill(const QJsonObject &stats);
    void fillProviders();

    QJsonObject m_stats;
    QList<QLabel *> m_captions;
    QLabel *m_devices;
    QLabel *m_presence;
    QLabel *m_events;
    QLabel *m_deliveries;
    QLabel *m_outbox;
    QLabel *m_monitors;
    QLabel *m_chartTitle;
    QLabel *m_providersTitle;
    QTreeWidget *m_providers;
    EventChart *m_chart;
    QTimer *m_timer;
};

} // namespace herald
