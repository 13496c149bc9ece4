#pragma once

#include "ApiListModel.h"

namespace herald {

// The cluster's nodes (GET /admin/v1/nodes): where each listens, its version, what it held at its
// last heartbeat and how long ago that was, alive or stopped. The node that answered is marked,
// since the console talks to one node of the cluster.
class ClusterModel : public ApiListModel
{
    Q_OBJECT
public:
    explicit ClusterModel(AdminClient &client, QObject *parent = nullptr);

    enum Column
    {
        NodeColumn,
        AddressColumn,
        VersionColumn,
        StatusColumn,
        SessionsColumn,
        MonitorsColumn,
        LastHeartbeatColumn, // relative: "4 s ago"
        HeartbeatAtColumn,   // absolute, in the user's time zone
        StartedColumn
    };

    // A heartbeat's age in words: "just now", "12 s ago", "3 min ago", "2 h ago", "5 d ago".
    static QString age(qint64 ms);

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &row, int column, int role) const override;
};

} // namespace herald
