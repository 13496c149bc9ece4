#include "SqlRows.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace herald::test {

std::optional<QList<QVariantList>> sqlRows(const QString &path, const QString &sql, QString *error)
{
    static const QString connection = QStringLiteral("herald-test-sql-rows");
    std::optional<QList<QVariantList>> result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        if (!db.open()) {
            if (error)
                *error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (q.exec(sql)) {
                result.emplace();
                while (q.next()) {
                    QVariantList row;
                    for (int i = 0; i < q.record().count(); ++i)
                        row << q.value(i);
                    result->append(row);
                }
            } else if (error) {
                *error = q.lastError().text();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return result;
}

} // namespace herald::test
