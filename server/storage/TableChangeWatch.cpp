#include "storage/TableChangeWatch.h"

#include "storage/StatementCache.h"
#include "storage/StorageLog.h"

#include <sqlite3.h>

#include <cstring>
#include <utility>

namespace herald {

TableChangeWatch::TableChangeWatch(QByteArrayList tables)
    : m_tables(std::move(tables))
{
}

TableChangeWatch::~TableChangeWatch()
{
    detach();
}

void TableChangeWatch::attach(StatementCache &statements)
{
    detach();
    m_statements = &statements;
    m_handle = statements.handle();
    m_changed = true;
    m_version = -1;
    if (!m_handle)
        return;
    sqlite3_update_hook(m_handle, &TableChangeWatch::onUpdate, this);
    sqlite3_rollback_hook(m_handle, &TableChangeWatch::onRollback, this);
}

void TableChangeWatch::detach()
{
    if (m_handle) {
        sqlite3_update_hook(m_handle, nullptr, nullptr);
        sqlite3_rollback_hook(m_handle, nullptr, nullptr);
    }
    m_handle = nullptr;
    m_statements = nullptr;
    m_changed = true;
}

bool TableChangeWatch::takeChanged(bool askOthers)
{
    if (!m_statements)
        return true;
    if (!askOthers)
        return std::exchange(m_changed, false);
    // target_changes.n is moved by triggers on the watched tables, whoever writes them: another
    // process (`herald-server user add`), or this one. PRAGMA data_version would also move for
    // every commit of the background writer's connection, which never touches these tables.
    CachedQuery q(*m_statements);
    QString error;
    long long version = -1;
    if (q.borrow(QStringLiteral("select target_changes"), QStringLiteral("SELECT n FROM target_changes WHERE id = 1"),
                 &error)
        && q.exec() && q.next())
        version = q.value(0).toLongLong();
    else
        qCWarning(lcStorage) << "reading target_changes failed:" << (error.isEmpty() ? q.errorText() : error);
    const bool changed = m_changed || version < 0 || version != m_version;
    m_version = version;
    m_changed = false;
    return changed;
}

void TableChangeWatch::onUpdate(void *self, int, const char *, const char *table, long long)
{
    auto *watch = static_cast<TableChangeWatch *>(self);
    if (watch->m_changed)
        return;
    for (const QByteArray &name : std::as_const(watch->m_tables)) {
        if (std::strcmp(name.constData(), table) == 0) {
            watch->m_changed = true;
            return;
        }
    }
}

void TableChangeWatch::onRollback(void *self)
{
    static_cast<TableChangeWatch *>(self)->m_changed = true;
}

} // namespace herald
