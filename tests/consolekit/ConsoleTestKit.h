#pragma once

#include <QString>
#include <QStringList>

class QTableView;

namespace herald {
class EntityTable;
class LoginDialog;
}

namespace herald::test {

// Helpers shared by the console's GUI tests and the screenshot tool: drive the login dialog
// (through the trust-on-first-use prompt) and read what a table view shows.
namespace ConsoleTestKit {
// Fills the dialog, presses "Log in", and when the unknown-certificate prompt comes, checks that it
// shows `expectedFingerprint` (if given) and accepts it. False (with `why`) if any step fails.
bool logIn(LoginDialog &dialog, const QString &serverUrl, const QString &user, const QString &password,
           const QString &expectedFingerprint = {}, QString *why = nullptr, int timeoutMs = 15000);
void fill(LoginDialog &dialog, const QString &serverUrl, const QString &user, const QString &password);
// The display texts of one column, in view order.
QStringList column(const QTableView *view, int column);
// The display text of `column` in the row whose key is `key`; null if no such row is shown.
QString cell(const EntityTable *table, const QString &key, int column);
} // namespace ConsoleTestKit

} // namespace herald::test
