#pragma once

#include <QWidget>

class QAbstractButton;

namespace herald {

class AdminClient;

// The base of every tab: knows the API client, reloads on refresh(), says everything it has to
// say through notify() (the main window shows it in its one message bar), and sets its texts again
// when the language changes.
class ConsolePage : public QWidget
{
    Q_OBJECT
public:
    explicit ConsolePage(AdminClient &client, QWidget *parent = nullptr);

    virtual void refresh() = 0;

signals:
    void notify(const QString &text, bool error);

protected:
    virtual void retranslate() = 0;
    void changeEvent(QEvent *event) override;
    // Admin-only controls: enabled only for admins (and when `otherwise` holds); helpdesk sees
    // them disabled with a tooltip that says why.
    void gate(QAbstractButton *button, bool otherwise = true);
    void gateToolTip(QAbstractButton *button, const QString &adminToolTip);
    bool isAdmin() const;

    AdminClient &m_client;
};

} // namespace herald
