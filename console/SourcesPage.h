#pragma once

#include "ConsolePage.h"

class QPushButton;

namespace herald {

class EntityTable;
class MonitorsModel;
class SourcesModel;

// Sources & monitors: the event sources (admins add one — its token is shown once — or revoke
// it) and each login's monitor with its state and, when failing, the reason.
class SourcesPage : public ConsolePage
{
    Q_OBJECT
public:
    explicit SourcesPage(AdminClient &client, QWidget *parent = nullptr);

    void refresh() override;
    MonitorsModel *monitors() const { return m_monitors; }

protected:
    void retranslate() override;

private:
    void addSource();
    void revokeSource();
    void updateButtons();

    SourcesModel *m_sources;
    MonitorsModel *m_monitors;
    EntityTable *m_sourcesTable;
    EntityTable *m_monitorsTable;
    QPushButton *m_refresh;
    QPushButton *m_add;
    QPushButton *m_revoke;
};

} // namespace herald
