#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace herald {

// SQL kept in resource files, one folder per backend (resources/sql/<backend>/):
//   setup_NNN_<what>.sql      the newest schema, run in order on an empty database
//   upgrade/NNN_<what>.sql    takes a database from version NNN-1 to NNN
//   <query_name>.sql          one statement, looked up by name
// Released files are never edited; a change of schema is a new upgrade file plus the setup change.
class SqlResources
{
public:
    struct Upgrade
    {
        int version = 0;
        QString name;
        QStringList statements;
    };

    explicit SqlResources(const QString &backend, const QString &root = QStringLiteral(":/sql"));

    QString query(const QString &name) const; // empty if unknown: a programming error, logged
    QList<QStringList> setupScripts() const;
    QList<Upgrade> upgrades() const;
    int schemaVersion() const; // highest upgrade number, 1 when there is none

    // Splits a script at lines ending in ';' and drops '--' comment lines.
    static QStringList splitStatements(const QString &script);

private:
    QString read(const QString &path) const;

    QString m_dir;
    mutable QHash<QString, QString> m_cache;
};

} // namespace herald
