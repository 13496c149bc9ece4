#pragma once

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace herald {

// Asks for a new name and password (new user, new operator, with a role for operators) or only a
// new password (reset). Checks what the server would refuse anyway, so mistakes show at once.
class CredentialsDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Kind { NewUser, NewOperator, ResetPassword };
    CredentialsDialog(Kind kind, const QString &title, QWidget *parent = nullptr);

    QString name() const;
    QString password() const;
    QString role() const; // "admin" | "helpdesk", for NewOperator

    // Shows a server-side refusal and keeps the dialog open for another try.
    void showError(const QString &message);

    static constexpr int MinPasswordLength = 8;

signals:
    void submitted();

private:
    void submit();

    Kind m_kind;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_password;
    QLineEdit *m_confirm;
    QComboBox *m_role = nullptr;
    QLabel *m_message;
    QDialogButtonBox *m_buttons;
};

} // namespace herald
