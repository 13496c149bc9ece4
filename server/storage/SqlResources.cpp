#include "storage/SqlResources.h"

#include "storage/StorageLog.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace herald {

SqlResources::SqlResources(const QString &backend, const QString &root)
    : m_dir(root + QLatin1Char('/') + backend)
{
}

QString SqlResources::read(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QString SqlResources::query(const QString &name) const
{
    auto cached = m_cache.constFind(name);
    if (cached != m_cache.constEnd())
        return *cached;
    const QString text = read(m_dir + QLatin1Char('/') + name + QStringLiteral(".sql")).trimmed();
    if (text.isEmpty())
        qCCritical(lcStorage) << "no SQL resource named" << name << "in" << m_dir;
    m_cache.insert(name, text);
    return text;
}

QList<QStringList> SqlResources::setupScripts() const
{
    QList<QStringList> scripts;
    const QStringList files =
        QDir(m_dir).entryList({QStringLiteral("setup_*.sql")}, QDir::Files, QDir::Name);
    for (const QString &file : files)
        scripts.append(splitStatements(read(m_dir + QLatin1Char('/') + file)));
    return scripts;
}

QList<SqlResources::Upgrade> SqlResources::upgrades() const
{
    static const QRegularExpression nameRe(QStringLiteral("^(\\d{3})_.+\\.sql\\z"));
    QList<Upgrade> result;
    const QString dir = m_dir + QStringLiteral("/upgrade");
    const QStringList files = QDir(dir).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const auto match = nameRe.match(file);
        if (!match.hasMatch()) {
            qCWarning(lcStorage) << "ignoring upgrade file with an unexpected name:" << file;
            continue;
        }
        result.append({match.captured(1).toInt(), file, splitStatements(read(dir + QLatin1Char('/') + file))});
    }
    return result;
}

int SqlResources::schemaVersion() const
{
    int version = 1;
    for (const Upgrade &upgrade : upgrades())
        version = qMax(version, upgrade.version);
    return version;
}

QStringList SqlResources::splitStatements(const QString &script)
{
    QStringList statements;
    QString current;
    const QStringList lines = script.split(QLatin1Char('\n'));
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(QStringLiteral("--")))
            continue;
        current += line + QLatin1Char('\n');
        if (line.endsWith(QLatin1Char(';'))) {
            statements.append(current.trimmed());
            current.clear();
        }
    }
    if (!current.trimmed().isEmpty())
        statements.append(current.trimmed());
    return statements;
}

} // namespace herald
