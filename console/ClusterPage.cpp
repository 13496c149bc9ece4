#include "ClusterPage.h"

#include "ClusterModel.h"
#include "EntityTable.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace herald {

ClusterPage::ClusterPage(AdminClient &client, QWidget *parent)
    : ConsolePage(client, parent)
    , m_model(new ClusterModel(client, this))
    , m_table(new EntityTable(m_model, QStringLiteral("nodesView"), this))
    , m_summary(new QLabel(this))
    , m_refresh(new QPushButton(this))
    , m_timer(new QTimer(this))
{
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_summary->setObjectName(QStringLiteral("clusterSummary"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_refresh);
    top->addWidget(m_summary, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    connect(m_refresh, &QPushButton::clicked, this, &ClusterPage::refresh);
    connect(m_model, &ClusterModel::loaded, this, &ClusterPage::summarize);
    connect(m_model, &ClusterModel::failed, this,
            [this](const QString &message) { emit notify(tr("Cannot list the cluster's nodes: %1").arg(message), true); });
    m_timer->setInterval(ReloadMs);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible() && !m_model->isLoading())
            refresh();
    });
    m_timer->start();
    retranslate();
}

void ClusterPage::retranslate()
{
    m_refresh->setText(tr("Refresh"));
    m_table->retranslate();
    summarize();
}

void ClusterPage::refresh()
{
    m_model->reload();
}

void ClusterPage::summarize()
{
    int alive = 0, sessions = 0, monitors = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QJsonObject node = m_model->object(row);
        if (!node.value(QStringLiteral("alive")).toBool())
            continue;
        ++alive;
        sessions += node.value(QStringLiteral("sessions")).toInt();
        monitors += node.value(QStringLiteral("monitors")).toInt();
    }
    // Summed over the live nodes only, as the stats' "cluster" does: a stopped node's sessions
    // count as offline and its monitors move to the live nodes.
    m_summary->setText(tr("Nodes alive: %1, stopped: %2 — sessions: %3, monitors: %4")
                           .arg(alive)
                           .arg(m_model->rowCount() - alive)
                           .arg(sessions)
                           .arg(monitors));
}

} // namespace herald
