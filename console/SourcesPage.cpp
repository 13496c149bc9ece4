#include "SourcesPage.h"

#include "AdminClient.h"
#include "EntityTable.h"
#include "MonitorsModel.h"
#include "SourcesModel.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace herald {

SourcesPage::SourcesPage(AdminClient &client, QWidget *parent)
    : ConsolePage(client, parent)
    , m_sources(new SourcesModel(client, this))
    , m_monitors(new MonitorsModel(client, this))
    , m_sourcesTable(new EntityTable(m_sources, QStringLiteral("sourcesView"), this))
    , m_monitorsTable(new EntityTable(m_monitors, QStringLiteral("monitorsView"), this))
    , m_refresh(new QPushButton(this))
    , m_add(new QPushButton(this))
    , m_revoke(new QPushButton(this))
{
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_add->setObjectName(QStringLiteral("addSourceButton"));
    m_revoke->setObjectName(QStringLiteral("revokeSourceButton"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_add);
    buttons->addWidget(m_revoke);
    buttons->addStretch();
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_sourcesTable);
    splitter->addWidget(m_monitorsTable);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);
    connect(m_refresh, &QPushButton::clicked, this, &SourcesPage::refresh);
    connect(m_add, &QPushButton::clicked, this, &SourcesPage::addSource);
    connect(m_revoke, &QPushButton::clicked, this, &SourcesPage::revokeSource);
    connect(m_sourcesTable, &EntityTable::selectionChanged, this, &SourcesPage::updateButtons);
    connect(m_sources, &SourcesModel::failed, this,
            [this](const QString &message) { emit notify(tr("Cannot list event sources: %1").arg(message), true); });
    connect(m_monitors, &MonitorsModel::failed, this,
            [this](const QString &message) { emit notify(tr("Cannot list monitors: %1").arg(message), true); });
    retranslate();
    updateButtons();
}

void SourcesPage::retranslate()
{
    m_refresh->setText(tr("Refresh"));
    m_add->setText(tr("Add source…"));
    m_revoke->setText(tr("Revoke source…"));
    gateToolTip(m_add, tr("Create an event source; its token is shown once"));
    gateToolTip(m_revoke, tr("The source's token is refused from now on"));
    m_sourcesTable->retranslate();
    m_monitorsTable->retranslate();
}

void SourcesPage::updateButtons()
{
    const QJsonObject source = m_sourcesTable->selectedObject();
    gate(m_add);
    gate(m_revoke, !source.isEmpty() && source.value(QStringLiteral("revokedAt")).toString().isEmpty());
}

void SourcesPage::refresh()
{
    m_sources->reload();
    m_monitors->reload();
}

void SourcesPage::addSource()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Add event source"),
                                               tr("Name of the source (for example crm or chat):"), QLineEdit::Normal,
                                               QString(), &ok)
                             .trimmed();
    if (!ok || name.isEmpty())
        return;
    m_client.post(QStringLiteral("/admin/v1/sources"), QJsonObject{{QStringLiteral("name"), name}}, this,
                  [this, name](const AdminReply &reply) {
                      if (!reply.ok()) {
                          emit notify(tr("Cannot add source %1: %2").arg(name, reply.errorMessage), true);
                          return;
                      }
                      refresh();
                      auto *box = new QMessageBox(QMessageBox::Information, tr("Source %1 added").arg(name),
                                                  tr("The source's token is shown only now. Copy it into the "
                                                     "source's configuration:\n\n%1")
                                                      .arg(reply.object.value(QStringLiteral("token")).toString()),
                                                  QMessageBox::Ok, this);
                      box->setObjectName(QStringLiteral("sourceTokenBox"));
                      box->setTextInteractionFlags(Qt::TextSelectableByMouse);
                      box->setAttribute(Qt::WA_DeleteOnClose);
                      box->open();
                      emit notify(tr("Added source %1.").arg(name), false);
                  });
}

void SourcesPage::revokeSource()
{
    const QString name = m_sourcesTable->selectedKey();
    if (name.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Revoke source"),
                                tr("Revoke source %1? Its token is refused at once.").arg(name),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::accepted, this, [this, name] {
        m_client.remove(QStringLiteral("/admin/v1/sources/%1").arg(AdminClient::encode(name)), this,
                        [this, name](const AdminReply &reply) {
                            if (!reply.ok()) {
                                emit notify(tr("Cannot revoke source %1: %2").arg(name, reply.errorMessage), true);
                                return;
                            }
                            emit notify(tr("Revoked source %1.").arg(name), false);
                            refresh();
                        });
    });
    box->open();
}

} // namespace herald
