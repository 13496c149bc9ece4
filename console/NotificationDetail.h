#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace herald {

class AdminClient;

// The detail pane of the Notifications tab: one notification's deliveries (channel, state,
// attempts, last error, next attempt) and its attempt history from GET notifications/{id}; admins
// retry a failed delivery or cancel a pending one.
class NotificationDetail : public QWidget
{
    Q_OBJECT
public:
    explicit NotificationDetail(AdminClient &client, QWidget *parent = nullptr);

    // Loads the notification with that id (empty clears the pane).
    void load(const QString &notificationId);
    QString notificationId() const { return m_id; }
    void retranslate();

signals:
    void notify(const QString &text, bool error);
    // The server's new view of the notification after a retry or cancel.
    void changed(const QJsonObject &notification);

private:
    void fill(const QJsonObject &notification);
    void act(const QString &verb);
    void updateButtons();
    QString selectedDelivery() const;

    AdminClient &m_client;
    QString m_id;
    QJsonObject m_notification;
    QLabel *m_title;
    QTreeWidget *m_deliveries;
    QTreeWidget *m_attempts;
    QLabel *m_attemptsLabel;
    QPushButton *m_retry;
    QPushButton *m_cancel;
};

} // namespace herald
