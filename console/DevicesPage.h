#pragma once

#include "ConsolePage.h"

class QComboBox;
class QPushButton;

namespace herald {

class DevicesModel;
class EntityTable;

// Every device: live presence per app, push-token state; admins revoke; anyone sends a test push.
class DevicesPage : public ConsolePage
{
    Q_OBJECT
public:
    explicit DevicesPage(AdminClient &client, QWidget *parent = nullptr);

    void refresh() override;
    DevicesModel *model() const { return m_model; }
    EntityTable *table() const { return m_table; }
    // Narrows the list to one account (from the Users tab); empty shows everyone's.
    void setUser(const QString &name);

signals:
    void testPushRequested(const QString &account, const QString &deviceId);

protected:
    void retranslate() override;

private:
    void updateButtons();
    void revoke();
    void applyFilters();

    DevicesModel *m_model;
    EntityTable *m_table;
    QComboBox *m_presence;
    QComboBox *m_platform;
    QPushButton *m_refresh;
    QPushButton *m_revoke;
    QPushButton *m_testPush;
    QString m_user;
    QString m_search; // the server-side search (?q=)
};

} // namespace herald
