#pragma once

#include "ApiListModel.h"

namespace herald {

// Every device (GET /admin/v1/devices), paged, with live presence per app and the push
// token's state. Presence and token frames of the live feed change rows in place, so the presence
// dots move while the operator watches.
class DevicesModel : public ApiListModel
{
    Q_OBJECT
public:
    explicit DevicesModel(AdminClient &client, QObject *parent = nullptr);

    enum Column
    {
        PresenceColumn,
        DeviceColumn,
        AccountColumn,
        NameColumn,
        PlatformColumn,
        AppsColumn,
        GatewayColumn, // what a remote-app gateway reports, beside the device's own state
        TokenColumn,
        LastSeenColumn,
        ColumnCount
    };

    // {"type":"presence"} and {"type":"token-retired"} frames; other frames are ignored.
    void applyFrame(const QJsonObject &frame);
    // The device's strongest presence: foreground > background > online > closed > offline.
    static QString overallPresence(const QJsonObject &device);

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &row, int column, int role) const override;
};

} // namespace herald
