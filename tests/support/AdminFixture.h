#pragma once

#include "DeliveryFixture.h"

#include <QJsonObject>
#include <QString>

namespace herald::test {

// A DeliveryFixture (server, account alice, source "crm") plus two console sessions: the
// bootstrap admin and a helpdesk operator named "desk", for admin API tests.
class AdminFixture
{
public:
    explicit AdminFixture(const QStringList &serverArgs = {}, const QByteArray &configIni = {});

    bool start();
    DeliveryFixture &delivery() { return m_delivery; }
    ServerProcess &server() { return m_delivery.server(); }
    HttpsClient &http() { return m_delivery.http(); }
    QString admin() const { return m_admin; }       // admin bearer token
    QString helpdesk() const { return m_helpdesk; } // helpdesk bearer token
    QString adminPassword() const { return m_adminPassword; }

    // POST /admin/v1/login; the token, or empty.
    QString login(const QString &name, const QString &password);
    // Creates a console operator with the admin session; true on 201.
    bool createOperator(const QString &name, const QString &password, const QString &role);
    // Whether the audit log (read as admin) has an entry with these values and outcome "ok".
    bool audited(const QString &op, const QString &action, const QString &target);
    // The number of audit entries, so a test can tell that a refused call wrote none.
    int auditCount();

    static bool isErrorShape(const HttpsClient::Reply &reply);

private:
    DeliveryFixture m_delivery;
    QString m_adminPassword;
    QString m_admin;
    QString m_helpdesk;
};

} // namespace herald::test
