#include "EngineDatabases.h"

#include "SqlRows.h"
#include "storage/SqliteStorage.h"

namespace herald::test {

QString EngineDatabases::takeEngine(QStringList *args)
{
    if (args->size() > 1 && (args->at(1) == QLatin1String("sqlite") || args->at(1) == QLatin1String("postgresql")))
        return args->takeAt(1);
    return QStringLiteral("sqlite");
}

bool EngineDatabases::start(QString *error)
{
    if (!isPostgres())
        return true;
    m_postgres = std::make_unique<PostgresServer>();
    if (m_postgres->start(error))
        return true;
    *error += m_postgres->log();
    return false;
}

bool EngineDatabases::empty(QString *error)
{
    ++m_n;
    if (isPostgres()) {
        m_current = QStringLiteral("t%1").arg(m_n);
        return m_postgres->createDatabase(m_current, error);
    }
    m_current = m_dir.filePath(QStringLiteral("db%1.sqlite").arg(m_n));
    return true;
}

std::unique_ptr<Storage> EngineDatabases::fresh(QString *error)
{
    if (!empty(error))
        return nullptr;
    return reopen(error);
}

std::unique_ptr<Storage> EngineDatabases::reopen(QString *error, PostgresStorage::Role role)
{
    std::unique_ptr<Storage> s;
    if (isPostgres())
        s = std::make_unique<PostgresStorage>(PgConnectOptions{m_postgres->uri(m_current), {}}, Durability::Process, role);
    else
        s = std::make_unique<SqliteStorage>(m_current);
    if (!s->open(error))
        return nullptr;
    return s;
}

bool EngineDatabases::rawRows(const QString &sql, QStringList *rows, QString *error)
{
    rows->clear();
    if (isPostgres()) {
        QString output;
        if (!m_postgres->psql(m_current, sql, error, &output))
            return false;
        for (const QString &line : output.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            rows->append(line.trimmed());
        return true;
    }
    const auto result = sqlRows(m_current, sql, error);
    if (!result)
        return false;
    for (const QVariantList &row : *result) {
        QStringList columns;
        for (const QVariant &v : row)
            columns.append(v.toString());
        rows->append(columns.join(QLatin1Char('|')));
    }
    return true;
}

bool EngineDatabases::raw(const QString &sql, QString *error)
{
    if (isPostgres())
        return m_postgres->psql(m_current, sql, error);
    return sqlRows(m_current, sql, error).has_value();
}

DeviceRecord engineDevice(qint64 accountId, const QString &id, const QByteArray &tokenHash, const QStringList &apps)
{
    DeviceRecord d;
    d.accountId = accountId;
    d.deviceId = id;
    d.platform = QStringLiteral("android");
    d.pushToken = QStringLiteral("token-") + id;
    d.tokenHash = tokenHash;
    d.apps = apps;
    return d;
}

NotificationRecord engineNotification(const QString &id, qint64 accountId, const QDateTime &at)
{
    NotificationRecord n;
    n.id = id;
    n.accountId = accountId;
    n.app = QStringLiteral("mail");
    n.source = QStringLiteral("imap");
    n.eventId = QStringLiteral("e-") + id;
    n.sender = QStringLiteral("Alice");
    n.subject = QStringLiteral("Subject ") + id;
    n.body = QStringLiteral("Body");
    n.receivedAt = at;
    n.createdAt = at;
    n.expiresAt = at.addDays(7);
    return n;
}

DeliveryRecord engineDelivery(const QString &id, const QString &notificationId, qint64 deviceId, const QDateTime &next)
{
    DeliveryRecord d;
    d.id = id;
    d.notificationId = notificationId;
    d.deviceId = deviceId;
    d.state = DeliveryState::Pending;
    d.nextAttemptAt = next;
    return d;
}

} // namespace herald::test
