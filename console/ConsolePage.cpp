#include "ConsolePage.h"

#include "AdminClient.h"

#include <QAbstractButton>
#include <QEvent>

namespace herald {

ConsolePage::ConsolePage(AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
{
}

void ConsolePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

bool ConsolePage::isAdmin() const
{
    return m_client.isAdmin();
}

void ConsolePage::gate(QAbstractButton *button, bool otherwise)
{
    button->setEnabled(isAdmin() && otherwise);
}

void ConsolePage::gateToolTip(QAbstractButton *button, const QString &adminToolTip)
{
    // A disabled button still shows its tooltip, which is how helpdesk learns why.
    button->setToolTip(isAdmin() ? adminToolTip
                                 : tr("Only administrators can do this; you are logged in with the helpdesk role."));
}

} // namespace herald
