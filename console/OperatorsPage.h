#pragma once

#include "ConsolePage.h"

class QPushButton;

namespace herald {

class EntityTable;
class OperatorsModel;

// Console operators (admins only): create, disable/enable, change role, reset password. The
// server refuses to lock out the last admin and says so; the message bar shows it.
class OperatorsPage : public ConsolePage
{
    Q_OBJECT
public:
    explicit OperatorsPage(AdminClient &client, QWidget *parent = nullptr);

    void refresh() override;
    EntityTable *table() const { return m_table; }

protected:
    void retranslate() override;

private:
    void updateButtons();
    void createOperator();
    void post(const QString &name, const QString &verb, const QJsonObject &body, const QString &done);
    void changeRole();
    void resetPassword();

    OperatorsModel *m_model;
    EntityTable *m_table;
    QPushButton *m_refresh;
    QPushButton *m_new;
    QPushButton *m_disable;
    QPushButton *m_enable;
    QPushButton *m_role;
    QPushButton *m_reset;
};

} // namespace herald
