#include "DashboardPage.h"

#include "AdminClient.h"
#include "ConsoleFormat.h"
#include "EventChart.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace herald {
namespace {
constexpr int ReloadMs = 60000;
}

DashboardPage::DashboardPage(AdminClient &client, QWidget *parent)
    : ConsolePage(client, parent)
    , m_devices(new QLabel(this))
    , m_presence(new QLabel(this))
    , m_events(new QLabel(this))
    , m_deliveries(new QLabel(this))
    , m_outbox(new QLabel(this))
    , m_monitors(new QLabel(this))
    , m_chartTitle(new QLabel(this))
    , m_providersTitle(new QLabel(this))
    , m_providers(new QTreeWidget(this))
    , m_chart(new EventChart(this))
    , m_timer(new QTimer(this))
{
    m_devices->setObjectName(QStringLiteral("devicesCount"));
    m_presence->setObjectName(QStringLiteral("presenceCount"));
    m_events->setObjectName(QStringLiteral("eventsCount"));
    m_deliveries->setObjectName(QStringLiteral("deliveriesCount"));
    m_outbox->setObjectName(QStringLiteral("outboxDepth"));
    m_monitors->setObjectName(QStringLiteral("monitorsCount"));
    m_providers->setObjectName(QStringLiteral("providersTree"));
    m_providers->setRootIsDecorated(false);
    m_providers->header()->setStretchLastSection(true);
    m_providers->setMaximumHeight(120);
    QFont heading = m_chartTitle->font();
    heading.setBold(true);
    m_chartTitle->setFont(heading);
    m_providersTitle->setFont(heading);
    auto *numbers = new QFormLayout;
    for (QLabel *value : {m_devices, m_presence, m_events, m_deliveries, m_outbox, m_monitors}) {
        auto *caption = new QLabel(this);
        m_captions.append(caption);
        numbers->addRow(caption, value);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(numbers);
    layout->addWidget(m_providersTitle);
    layout->addWidget(m_providers);
    layout->addWidget(m_chartTitle);
    layout->addWidget(m_chart, 1);
    // The chart is kept current by the live feed; a periodic reload corrects what the feed missed.
    m_timer->setInterval(ReloadMs);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });
    m_timer->start();
    retranslate();
}

void DashboardPage::retranslate()
{
    const QStringList captions{tr("Devices:"), tr("Presence:"), tr("Events:"), tr("Deliveries, last hour:"),
                               tr("Outbox:"), tr("Monitors:")};
    for (int i = 0; i < captions.size() && i < m_captions.size(); ++i)
        m_captions.at(i)->setText(captions.at(i));
    m_chartTitle->setText(tr("Per minute, last hour"));
    m_providersTitle->setText(tr("Push providers"));
    m_providers->setHeaderLabels({tr("Provider"), tr("Platforms"), tr("State"), tr("Reason")});
    fill(m_stats);
    m_chart->update();
}

void DashboardPage::refresh()
{
    m_client.get(QStringLiteral("/admin/v1/stats"), this, [this](const AdminReply &reply) {
        if (!reply.ok()) {
            emit notify(tr("Cannot read the statistics: %1").arg(reply.errorMessage), true);
            return;
        }
        fill(reply.object);
        m_chart->setSeries(reply.array(QStringLiteral("series")));
    });
}

void DashboardPage::fill(const QJsonObject &stats)
{
    m_stats = stats;
    if (stats.isEmpty()) {
        for (QLabel *l : {m_devices, m_presence, m_events, m_deliveries, m_outbox, m_monitors})
            l->setText(QStringLiteral("…"));
        return;
    }
    const QJsonObject devices = stats.value(QStringLiteral("devices")).toObject();
    const QJsonObject platforms = devices.value(QStringLiteral("byPlatform")).toObject();
    QStringList perPlatform;
    for (auto it = platforms.begin(); it != platforms.end(); ++it)
        perPlatform << tr("%1 %2").arg(it.key()).arg(it.value().toInt());
    m_devices->setText(tr("%1 in all (%2)").arg(devices.value(QStringLiteral("total")).toInt()).arg(perPlatform.join(QStringLiteral(", "))));
    const QJsonObject presence = devices.value(QStringLiteral("byPresence")).toObject();
    QStringList perPresence;
    for (const char *state : {"foreground", "background", "closed", "offline"})
        perPresence << tr("%1 %2").arg(ConsoleFormat::presence(QString::fromLatin1(state))).arg(presence.value(QLatin1String(state)).toInt());
    m_presence->setText(perPresence.join(QStringLiteral(", ")));
    const QJsonObject events = stats.value(QStringLiteral("events")).toObject();
    m_events->setText(tr("%1 in the last minute, %2 in the last hour")
                          .arg(events.value(QStringLiteral("lastMinute")).toInt())
                          .arg(events.value(QStringLiteral("lastHour")).toInt()));
    const QJsonObject hour = stats.value(QStringLiteral("deliveries")).toObject().value(QStringLiteral("lastHour")).toObject();
    m_deliveries->setText(tr("%1 in-band, %2 push, %3 failed")
                              .arg(hour.value(QStringLiteral("inband")).toInt())
                              .arg(hour.value(QStringLiteral("push")).toInt())
                              .arg(hour.value(QStringLiteral("failed")).toInt()));
    m_outbox->setText(tr("%n waiting", nullptr, stats.value(QStringLiteral("outboxDepth")).toInt()));
    const QJsonObject monitors = stats.value(QStringLiteral("monitors")).toObject();
    m_monitors->setText(tr("%1 watching, %2 failing, %3 stopped")
                            .arg(monitors.value(QStringLiteral("watching")).toInt())
                            .arg(monitors.value(QStringLiteral("failing")).toInt())
                            .arg(monitors.value(QStringLiteral("stopped")).toInt()));
    fillProviders();
}

void DashboardPage::fillProviders()
{
    m_providers->clear();
    for (const QJsonValue &v : m_stats.value(QStringLiteral("providers")).toArray()) {
        const QJsonObject p = v.toObject();
        QStringList platforms;
        for (const QJsonValue &platform : p.value(QStringLiteral("platforms")).toArray())
            platforms << platform.toString();
        const QString state = p.value(QStringLiteral("state")).toString();
        auto *item = new QTreeWidgetItem(m_providers, {p.value(QStringLiteral("name")).toString(),
                                                        platforms.join(QStringLiteral(", ")), ConsoleFormat::state(state),
                                                        p.value(QStringLiteral("reason")).toString()});
        item->setIcon(2, ConsoleFormat::presenceIcon(state == QLatin1String("ok") ? QStringLiteral("foreground")
                                                                                  : QStringLiteral("failed")));
    }
    m_providers->resizeColumnToContents(0);
    m_providers->resizeColumnToContents(1);
}

void DashboardPage::applyFrame(const QJsonObject &frame)
{
    const QString type = frame.value(QStringLiteral("type")).toString();
    const QDateTime at = QDateTime::fromString(frame.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
    const QDateTime when = at.isValid() ? at : QDateTime::currentDateTimeUtc();
    if (type == QLatin1String("notification")) {
        m_chart->count(EventChart::Events, when);
    } else if (type == QLatin1String("delivery")) {
        const QString state = frame.value(QStringLiteral("state")).toString();
        const QString channel = frame.value(QStringLiteral("channel")).toString();
        if (state == QLatin1String("failed"))
            m_chart->count(EventChart::Failed, when);
        else if (state == QLatin1String("delivered") || state == QLatin1String("sent"))
            m_chart->count(channel == QLatin1String("in-band") ? EventChart::InBand : EventChart::Push, when);
    } else if (type == QLatin1String("provider")) {
        QJsonArray providers = m_stats.value(QStringLiteral("providers")).toArray();
        for (int i = 0; i < providers.size(); ++i) {
            QJsonObject p = providers.at(i).toObject();
            if (p.value(QStringLiteral("name")) != frame.value(QStringLiteral("name")))
                continue;
            p.insert(QStringLiteral("state"), frame.value(QStringLiteral("state")));
            p.insert(QStringLiteral("reason"), frame.value(QStringLiteral("reason")));
            providers[i] = p;
        }
        m_stats.insert(QStringLiteral("providers"), providers);
        fillProviders();
    }
}

} // namespace herald
