#include "CredentialsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace herald {

CredentialsDialog::CredentialsDialog(Kind kind, const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_kind(kind)
    , m_password(new QLineEdit(this))
    , m_confirm(new QLineEdit(this))
    , m_message(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(title);
    auto *form = new QFormLayout;
    if (kind != Kind::ResetPassword) {
        m_name = new QLineEdit(this);
        m_name->setObjectName(QStringLiteral("newName"));
        m_name->setMaxLength(128);
        form->addRow(tr("Name:"), m_name);
    }
    m_password->setObjectName(QStringLiteral("newPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_confirm->setObjectName(QStringLiteral("confirmPassword"));
    m_confirm->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Password:"), m_password);
    form->addRow(tr("Repeat password:"), m_confirm);
    if (kind == Kind::NewOperator) {
        m_role = new QComboBox(this);
        m_role->setObjectName(QStringLiteral("role"));
        m_role->addItem(tr("Helpdesk (read only)"), QStringLiteral("helpdesk"));
        m_role->addItem(tr("Administrator"), QStringLiteral("admin"));
        form->addRow(tr("Role:"), m_role);
    }
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    // Bold rather than a fixed colour, which could vanish on a dark palette.
    QFont bold = m_message->font();
    bold.setBold(true);
    m_message->setFont(bold);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CredentialsDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(380);
}

QString CredentialsDialog::name() const
{
    return m_name ? m_name->text().trimmed() : QString();
}

QString CredentialsDialog::password() const
{
    return m_password->text();
}

QString CredentialsDialog::role() const
{
    return m_role ? m_role->currentData().toString() : QString();
}

void CredentialsDialog::showError(const QString &message)
{
    m_message->setText(message);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
}

void CredentialsDialog::submit()
{
    static const QRegularExpression nameRe(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}\\z"));
    if (m_name && !nameRe.match(name()).hasMatch()) {
        showError(tr("Names start with a letter or digit and may contain letters, digits and . _ @ + -"));
        return;
    }
    if (password().size() < MinPasswordLength) {
        showError(tr("The password must have at least %n characters.", nullptr, MinPasswordLength));
        return;
    }
    if (password() != m_confirm->text()) {
        showError(tr("The two passwords differ."));
        return;
    }
    m_message->clear();
    // The owner sends the request and closes the dialog on success, or calls showError().
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    emit submitted();
}

} // namespace herald
