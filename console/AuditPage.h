#pragma once

#include "ConsolePage.h"

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;

namespace herald {

class AuditModel;
class EntityTable;

// The audit log, newest first and paged, filtered on the server by operator, action and time.
class AuditPage : public ConsolePage
{
    Q_OBJECT
public:
    explicit AuditPage(AdminClient &client, QWidget *parent = nullptr);

    void refresh() override;
    EntityTable *table() const { return m_table; }

protected:
    void retranslate() override;

private:
    QString filteredPath() const;

    AuditModel *m_model;
    EntityTable *m_table;
    QLineEdit *m_operator;
    QComboBox *m_action;
    QCheckBox *m_useSince;
    QDateTimeEdit *m_since;
    QCheckBox *m_useUntil;
    QDateTimeEdit *m_until;
    QPushButton *m_apply;
    QLabel *m_operatorLabel;
    QLabel *m_actionLabel;
};

} // namespace herald
