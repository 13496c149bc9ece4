#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace herald {

class AdminClient;

// The registered terminals of one account (chosen on the Users tab); admins can revoke one, which
// forgets it and invalidates its device token.
class DevicesPage : public QWidget
{
    Q_OBJECT
public:
    explicit DevicesPage(AdminClient &client, QWidget *parent = nullptr);

    void setUser(const QString &name);
    void refresh();

private:
    void revoke();
    void showMessage(const QString &text, bool error);

    AdminClient &m_client;
    QString m_user;
    QLabel *m_title;
    QTableWidget *m_table;
    QPushButton *m_refresh;
    QPushButton *m_revoke;
    QLabel *m_message;
};

} // namespace herald
