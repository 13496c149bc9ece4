#pragma once

#include "ConsolePage.h"

class QComboBox;
class QPushButton;

namespace herald {

class EntityTable;
class NotificationDetail;
class NotificationsModel;

// Notifications: pending, failed or all, newest first, with a detail pane (deliveries and
// attempt history) where admins retry or cancel a delivery.
class NotificationsPage : public ConsolePage
{
    Q_OBJECT
public:
    explicit NotificationsPage(AdminClient &client, QWidget *parent = nullptr);

    void refresh() override;
    NotificationsModel *model() const { return m_model; }
    EntityTable *table() const { return m_table; }
    NotificationDetail *detail() const { return m_detail; }
    // "pending", "failed" or "all".
    void showState(const QString &state);

protected:
    void retranslate() override;

private:
    NotificationsModel *m_model;
    EntityTable *m_table;
    NotificationDetail *m_detail;
    QComboBox *m_state;
    QPushButton *m_refresh;
};

} // namespace herald
