#include "ConsoleTestKit.h"

#include "ApiListModel.h"
#include "EntityTable.h"
#include "LoginDialog.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QDeadlineTimer>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

namespace herald::test::ConsoleTestKit {

void fill(LoginDialog &dialog, const QString &serverUrl, const QString &user, const QString &password)
{
    dialog.findChild<QLineEdit *>(QStringLiteral("serverUrl"))->setText(serverUrl);
    dialog.findChild<QLineEdit *>(QStringLiteral("username"))->setText(user);
    dialog.findChild<QLineEdit *>(QStringLiteral("password"))->setText(password);
    dialog.findChild<QCheckBox *>(QStringLiteral("remember"))->setChecked(false);
    dialog.findChild<QPushButton *>(QStringLiteral("loginButton"))->click();
}

bool logIn(LoginDialog &dialog, const QString &serverUrl, const QString &user, const QString &password,
           const QString &expectedFingerprint, QString *why, int timeoutMs)
{
    QString ignored;
    QString &reason = why ? *why : ignored;
    fill(dialog, serverUrl, user, password);
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (dialog.result() == QDialog::Accepted)
            return true;
        auto *prompt = dialog.findChild<QMessageBox *>(QStringLiteral("trustPrompt"));
        if (prompt && prompt->isVisible()) {
            if (!expectedFingerprint.isEmpty() && !prompt->text().contains(expectedFingerprint)) {
                reason = QStringLiteral("the prompt does not show %1: %2").arg(expectedFingerprint, prompt->text());
                return false;
            }
            prompt->findChild<QPushButton *>(QStringLiteral("trustButton"))->click();
        }
        QTest::qWait(20); // pumping events while the dialog talks to the server
    }
    reason = QStringLiteral("no login within %1 ms").arg(timeoutMs);
    return false;
}

QStringList column(const QTableView *view, int column)
{
    QStringList values;
    const QAbstractItemModel *model = view->model();
    for (int r = 0; r < model->rowCount(); ++r)
        values << model->index(r, column).data().toString();
    return values;
}

QString cell(const EntityTable *table, const QString &key, int column)
{
    const int row = table->model()->rowOf(key);
    if (row < 0)
        return {};
    return table->model()->index(row, column).data().toString();
}

} // namespace herald::test::ConsoleTestKit
