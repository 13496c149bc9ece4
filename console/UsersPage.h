#pragma once

#include "ConsolePage.h"

class QPushButton;

namespace herald {

class EntityTable;
class UsersModel;

// Terminal accounts: list and search; admins create, disable/enable and reset passwords.
class UsersPage : public ConsolePage
{
    Q_OBJECT
public:
    explicit UsersPage(AdminClient &client, QWidget *parent = nullptr);

    void refresh() override;
    QString selectedUser() const;
    UsersModel *model() const { return m_model; }
    EntityTable *table() const { return m_table; }

protected:
    void retranslate() override;

private:
    void updateButtons();
    void createUser();
    void setDisabled(bool disabled);
    void resetPassword();

    UsersModel *m_model;
    EntityTable *m_table;
    QPushButton *m_refresh;
    QPushButton *m_new;
    QPushButton *m_disable;
    QPushButton *m_enable;
    QPushButton *m_reset;
};

} // namespace herald
