#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace herald {

class AdminClient;
class CredentialsDialog;

// Terminal accounts: list, and for admins create, disable/enable and reset passwords.
class UsersPage : public QWidget
{
    Q_OBJECT
public:
    explicit UsersPage(AdminClient &client, QWidget *parent = nullptr);

    void refresh();
    QString selectedUser() const;

signals:
    void userSelected(const QString &name);

private:
    void updateButtons();
    void createUser();
    void setDisabled(bool disabled);
    void resetPassword();
    void showMessage(const QString &text, bool error);

    AdminClient &m_client;
    QTableWidget *m_table;
    QPushButton *m_refresh;
    QPushButton *m_new;
    QPushButton *m_disable;
    QPushButton *m_enable;
    QPushButton *m_reset;
    QLabel *m_message;
    QHash<QString, bool> m_disabledByName;
};

} // namespace herald
