#include "storage/StatementCache.h"

#include <QRegularExpression>
#include <QSqlError>

namespace herald {

void StatementCache::clear()
{
    m_idle.clear();
    m_db = QSqlDatabase();
}

bool StatementCache::lend(const QString &name, const QString &sql, Entry *entry, QString *error)
{
    auto it = m_idle.find(name);
    if (it != m_idle.end()) {
        *entry = std::move(it->second);
        m_idle.erase(it);
        return true;
    }
    QSqlQuery query(m_db);
    // Callers only step forward; without this Qt's result cache sets up 128 rows of QVariants on
    // every exec, which cost more than SQLite's own work for our one-row lookups.
    query.setForwardOnly(true);
    if (!query.prepare(sql)) {
        *error = query.lastError().text();
        return false;
    }
    entry->query = std::move(query);
    // Outside quoted literals, ":name" not preceded by another ':' or a word character.
    static const QRegularExpression placeholder(QStringLiteral("'[^']*'|(?<![:\\w]):([A-Za-z_]\\w*)"));
    entry->placeholders.clear();
    for (auto m = placeholder.globalMatch(sql); m.hasNext();) {
        const QString p = m.next().captured(1);
        if (!p.isEmpty() && !entry->placeholders.contains(p))
            entry->placeholders.append(p);
    }
    const QString head = sql.trimmed().left(6).toUpper();
    entry->writes = head != QLatin1String("SELECT") && !head.startsWith(QLatin1String("WITH"));
    return true;
}

void StatementCache::giveBack(const QString &name, Entry &&entry)
{
    entry.query.finish(); // ends the statement's read transaction (autocommit) at once
    if (!m_db.isValid() || m_idle.count(name))
        return; // the cache was cleared, or a nested use of the same query prepared a second copy
    m_idle.emplace(name, std::move(entry));
}

CachedQuery::CachedQuery(StatementCache &cache)
    : QSqlQuery(static_cast<QSqlResult *>(nullptr))
    , m_cache(cache)
{
}

CachedQuery::~CachedQuery()
{
    giveBack();
}

bool CachedQuery::borrow(const QString &name, const QString &sql, QString *error)
{
    giveBack();
    if (!m_cache.lend(name, sql, &m_entry, error))
        return false;
    m_name = name;
    swap(m_entry.query); // this object is now the prepared statement; the entry holds the empty one
    return true;
}

void CachedQuery::bindAll(const QVariantMap &values)
{
    for (const QString &p : std::as_const(m_entry.placeholders))
        bindValue(QLatin1Char(':') + p, values.value(p));
}

void CachedQuery::giveBack()
{
    if (m_name.isEmpty())
        return;
    swap(m_entry.query);
    m_cache.giveBack(m_name, std::move(m_entry));
    m_entry = StatementCache::Entry();
    m_name.clear();
}

} // namespace herald
