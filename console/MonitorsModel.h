#pragma once

#include "ApiListModel.h"

namespace herald {

// Each login's monitor (GET /admin/v1/monitors): watching, or failing with the reason. The
// live feed's monitor frames update rows in place.
class MonitorsModel : public ApiListModel
{
    Q_OBJECT
public:
    explicit MonitorsModel(AdminClient &client, QObject *parent = nullptr);

    // A {"type":"monitor"} frame of the live feed.
    void applyFrame(const QJsonObject &frame);

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &row, int column, int role) const override;
    QString keyOf(const QJsonObject &row) const override;
};

} // namespace herald
