#pragma once

#include "ConsolePage.h"

class QLabel;
class QPushButton;
class QTimer;

namespace herald {

class ClusterModel;
class EntityTable;

// Cluster: every node of the cluster (one on SQLite) with its address, version, sessions,
// monitors and last heartbeat, alive or stopped. Reloaded while shown, because heartbeats age
// by the second and the table is only worth reading when it is current.
class ClusterPage : public ConsolePage
{
    Q_OBJECT
public:
    explicit ClusterPage(AdminClient &client, QWidget *parent = nullptr);

    void refresh() override;
    ClusterModel *model() const { return m_model; }
    EntityTable *table() const { return m_table; }
    QLabel *summary() const { return m_summary; }

    static constexpr int ReloadMs = 5000; // half the default heartbeat: an age is never far behind

protected:
    void retranslate() override;

private:
    void summarize();

    ClusterModel *m_model;
    EntityTable *m_table;
    QLabel *m_summary;
    QPushButton *m_refresh;
    QTimer *m_timer;
};

} // namespace herald
