#include "AdminFixture.h"

#include <QFile>
#include <QJsonArray>

namespace herald::test {

AdminFixture::AdminFixture(const QStringList &serverArgs, const QByteArray &configIni)
    : m_delivery(serverArgs, configIni)
{
}

bool AdminFixture::start()
{
    if (!m_delivery.start())
        return false;
    QFile file(server().dataDir() + QStringLiteral("/initial-admin-password"));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    m_adminPassword = QString::fromUtf8(file.readAll()).trimmed();
    m_admin = login(QStringLiteral("admin"), m_adminPassword);
    if (m_admin.isEmpty() || !createOperator(QStringLiteral("desk"), QStringLiteral("desk-password"), QStringLiteral("helpdesk")))
        return false;
    m_helpdesk = login(QStringLiteral("desk"), QStringLiteral("desk-password"));
    return !m_helpdesk.isEmpty();
}

QString AdminFixture::login(const QString &name, const QString &password)
{
    const auto reply = http().post(QStringLiteral("/admin/v1/login"),
                                   QJsonObject{{QStringLiteral("username"), name}, {QStringLiteral("password"), password}});
    return reply.status == 200 ? reply.json().object().value(QStringLiteral("token")).toString() : QString();
}

bool AdminFixture::createOperator(const QString &name, const QString &password, const QString &role)
{
    const QJsonObject body{{QStringLiteral("username"), name},
                           {QStringLiteral("password"), password},
                           {QStringLiteral("role"), role}};
    return http().post(QStringLiteral("/admin/v1/operators"), body, m_admin).status == 201;
}

bool AdminFixture::audited(const QString &op, const QString &action, const QString &target)
{
    const auto reply = http().get(QStringLiteral("/admin/v1/audit?limit=1000"), m_admin);
    for (const QJsonValue &v : reply.json().object().value(QStringLiteral("entries")).toArray()) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("operator")).toString() == op && e.value(QStringLiteral("action")).toString() == action &&
            e.value(QStringLiteral("target")).toString() == target && e.value(QStringLiteral("outcome")).toString() == QLatin1String("ok"))
            return true;
    }
    return false;
}

int AdminFixture::auditCount()
{
    const auto reply = http().get(QStringLiteral("/admin/v1/audit?limit=1"), m_admin);
    return reply.status == 200 ? reply.json().object().value(QStringLiteral("total")).toInt(-1) : -1;
}

bool AdminFixture::isErrorShape(const HttpsClient::Reply &reply)
{
    const QJsonObject o = reply.json().object();
    return o.value(QStringLiteral("error")).isString() && !o.value(QStringLiteral("message")).toString().isEmpty();
}

} // namespace herald::test
