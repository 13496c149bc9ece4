#pragma once

#include "ApiListModel.h"

namespace herald {

// Notifications (GET /admin/v1/notifications?state=...), newest first, paged, with their
// per-device deliveries. New notifications and delivery outcomes from the live feed are shown in
// place; what a row shows of sender and subject is only what the app's privacy level let the server
// send.
class NotificationsModel : public ApiListModel
{
    Q_OBJECT
public:
    explicit NotificationsModel(AdminClient &client, QObject *parent = nullptr);

    enum Column
    {
        CreatedColumn,
        AccountColumn,
        AppColumn,
        StateColumn,
        DeliveriesColumn,
        ContentColumn,
        ColumnCount
    };

    // Which notifications the list holds: pending, failed or all; new ones from the feed are
    // added only when they fit.
    void setStateFilter(const QString &state);
    QString stateFilter() const { return m_state; }
    // {"type":"notification"} and {"type":"delivery"} frames.
    void applyFrame(const QJsonObject &frame);
    // Failed if a delivery failed, pending while one is unfinished, delivered when all arrived; a
    // notification that was opened, suppressed or expired says so instead.
    static QString overallState(const QJsonObject &notification);

protected:
    QStringList headers() const override;
    QVariant cell(const QJsonObject &row, int column, int role) const override;

private:
    QString m_state = QStringLiteral("all");
};

} // namespace herald
