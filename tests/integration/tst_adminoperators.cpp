// Console operators managed through /admin/v1/operators/{name}/…: disable, enable, role, password;
// the last enabled admin is protected (409 last_admin); a disabled operator's session ends at once;
// helpdesk may change nothing; bad input. And the audit list's filters and paging.
#include "AdminFixture.h"

#include <QJsonArray>
#include <QUrlQuery>
#include <QtTest>

using namespace herald::test;

class tst_AdminOperators : public QObject
{
    Q_OBJECT

private:
    AdminFixture m_fx;

    HttpsClient::Reply post(const QString &path, const QJsonObject &body, const QString &token)
    {
        return m_fx.http().post(path, body, token);
    }
    QJsonObject operatorNamed(const QString &name)
    {
        const auto reply = m_fx.http().get(QStringLiteral("/admin/v1/operators"), m_fx.admin());
        for (const QJsonValue &v : reply.json().object().value(QStringLiteral("operators")).toArray())
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                return v.toObject();
        return {};
    }
    QJsonObject audit(const QString &query)
    {
        return m_fx.http().get(QStringLiteral("/admin/v1/audit") + query, m_fx.helpdesk()).json().object();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_fx.start()); }

    void helpdeskChangesNothing()
    {
        QVERIFY(m_fx.createOperator(QStringLiteral("bob"), QStringLiteral("bob-password"), QStringLiteral("helpdesk")));
        const int before = m_fx.auditCount();
        const QString desk = m_fx.helpdesk();
        for (const auto &[path, body] : {std::pair{QStringLiteral("/admin/v1/operators/bob/disable"), QJsonObject{}},
                                         std::pair{QStringLiteral("/admin/v1/operators/bob/enable"), QJsonObject{}},
                                         std::pair{QStringLiteral("/admin/v1/operators/desk/role"), QJsonObject{{QStringLiteral("role"), QStringLiteral("admin")}}},
                                         std::pair{QStringLiteral("/admin/v1/operators/bob/password"), QJsonObject{{QStringLiteral("password"), QStringLiteral("new-password-1")}}}}) {
            const auto reply = post(path, body, desk);
            QVERIFY2(reply.status == 403, qPrintable(path));
            QCOMPARE(reply.errorCode(), QStringLiteral("forbidden"));
        }
        QCOMPARE(m_fx.auditCount(), before);
        QCOMPARE(operatorNamed(QStringLiteral("desk")).value(QStringLiteral("role")).toString(), QStringLiteral("helpdesk"));
        QCOMPARE(operatorNamed(QStringLiteral("bob")).value(QStringLiteral("disabled")).toBool(), false);
        QVERIFY(!m_fx.login(QStringLiteral("bob"), QStringLiteral("bob-password")).isEmpty()); // password unchanged
    }

    void disableEndsSessionsAtOnce()
    {
        const QString bob = m_fx.login(QStringLiteral("bob"), QStringLiteral("bob-password"));
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/users"), bob).status, 200);
        const auto disabled = post(QStringLiteral("/admin/v1/operators/bob/disable"), {}, m_fx.admin());
        QCOMPARE(disabled.status, 200);
        QCOMPARE(disabled.json().object().value(QStringLiteral("disabled")).toBool(), true);
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/users"), bob).status, 401);
        QVERIFY(m_fx.login(QStringLiteral("bob"), QStringLiteral("bob-password")).isEmpty());
        QVERIFY(m_fx.audited(QStringLiteral("admin"), QStringLiteral("operator.disable"), QStringLiteral("bob")));

        const auto enabled = post(QStringLiteral("/admin/v1/operators/bob/enable"), {}, m_fx.admin());
        QCOMPARE(enabled.status, 200);
        QCOMPARE(enabled.json().object().value(QStringLiteral("disabled")).toBool(), false);
        // The old session stays ended; a new login works.
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/users"), bob).status, 401);
        QVERIFY(!m_fx.login(QStringLiteral("bob"), QStringLiteral("bob-password")).isEmpty());
        QVERIFY(m_fx.audited(QStringLiteral("admin"), QStringLiteral("operator.enable"), QStringLiteral("bob")));
    }

    void roleChangeTakesEffect()
    {
        const QString bob = m_fx.login(QStringLiteral("bob"), QStringLiteral("bob-password"));
        QCOMPARE(post(QStringLiteral("/admin/v1/sources"), {{QStringLiteral("name"), QStringLiteral("r1")}}, bob).status, 403);
        const auto promoted = post(QStringLiteral("/admin/v1/operators/bob/role"), {{QStringLiteral("role"), QStringLiteral("admin")}}, m_fx.admin());
        QCOMPARE(promoted.status, 200);
        QCOMPARE(promoted.json().object().value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
        QCOMPARE(post(QStringLiteral("/admin/v1/sources"), {{QStringLiteral("name"), QStringLiteral("r1")}}, bob).status, 201);
        QVERIFY(m_fx.audited(QStringLiteral("admin"), QStringLiteral("operator.role"), QStringLiteral("bob (admin)")));
        QCOMPARE(post(QStringLiteral("/admin/v1/operators/bob/role"), {{QStringLiteral("role"), QStringLiteral("helpdesk")}}, m_fx.admin()).status, 200);
        QCOMPARE(post(QStringLiteral("/admin/v1/sources"), {{QStringLiteral("name"), QStringLiteral("r2")}}, bob).status, 403);
    }

    void passwordReset()
    {
        const QString bob = m_fx.login(QStringLiteral("bob"), QStringLiteral("bob-password"));
        QCOMPARE(post(QStringLiteral("/admin/v1/operators/bob/password"), {{QStringLiteral("password"), QStringLiteral("bob-new-password")}},
                      m_fx.admin()).status, 204);
        QVERIFY(m_fx.login(QStringLiteral("bob"), QStringLiteral("bob-password")).isEmpty());
        QVERIFY(!m_fx.login(QStringLiteral("bob"), QStringLiteral("bob-new-password")).isEmpty());
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/users"), bob).status, 401); // the old session is over
        QVERIFY(m_fx.audited(QStringLiteral("admin"), QStringLiteral("operator.password"), QStringLiteral("bob")));
        // The audit names the action, never the password.
        const auto log = m_fx.http().get(QStringLiteral("/admin/v1/audit?limit=1000"), m_fx.admin());
        QVERIFY(!log.body.contains("bob-new-password"));
    }

    void lastAdminIsProtected()
    {
        const int before = m_fx.auditCount();
        auto reply = post(QStringLiteral("/admin/v1/operators/admin/disable"), {}, m_fx.admin());
        QCOMPARE(reply.status, 409);
        QCOMPARE(reply.errorCode(), QStringLiteral("last_admin"));
        reply = post(QStringLiteral("/admin/v1/operators/admin/role"), {{QStringLiteral("role"), QStringLiteral("helpdesk")}}, m_fx.admin());
        QCOMPARE(reply.status, 409);
        QCOMPARE(reply.errorCode(), QStringLiteral("last_admin"));
        QCOMPARE(m_fx.auditCount(), before);
        QCOMPARE(operatorNamed(QStringLiteral("admin")).value(QStringLiteral("role")).toString(), QStringLiteral("admin"));

        // With a second enabled admin either may step down; a disabled admin does not count.
        QVERIFY(m_fx.createOperator(QStringLiteral("carol"), QStringLiteral("carol-password"), QStringLiteral("admin")));
        const QString role = QStringLiteral("role");
        QCOMPARE(post(QStringLiteral("/admin/v1/operators/carol/role"), {{role, QStringLiteral("helpdesk")}}, m_fx.admin()).status, 200);
        QCOMPARE(post(QStringLiteral("/admin/v1/operators/carol/role"), {{role, QStringLiteral("admin")}}, m_fx.admin()).status, 200);
        QCOMPARE(post(QStringLiteral("/admin/v1/operators/carol/disable"), {}, m_fx.admin()).status, 200);
        reply = post(QStringLiteral("/admin/v1/operators/admin/role"), {{role, QStringLiteral("helpdesk")}}, m_fx.admin());
        QCOMPARE(reply.status, 409);
        QCOMPARE(reply.errorCode(), QStringLiteral("last_admin"));
        QCOMPARE(post(QStringLiteral("/admin/v1/operators/carol/enable"), {}, m_fx.admin()).status, 200);
        // Now carol may take the admin's role away from the bootstrap account, and it loses admin rights at once.
        const QString carol = m_fx.login(QStringLiteral("carol"), QStringLiteral("carol-password"));
        QCOMPARE(post(QStringLiteral("/admin/v1/operators/admin/role"), {{role, QStringLiteral("helpdesk")}}, carol).status, 200);
        QCOMPARE(post(QStringLiteral("/admin/v1/operators/bob/disable"), {}, m_fx.admin()).status, 403);
        reply = post(QStringLiteral("/admin/v1/operators/carol/disable"), {}, carol);
        QCOMPARE(reply.errorCode(), QStringLiteral("last_admin"));
        QCOMPARE(post(QStringLiteral("/admin/v1/operators/admin/role"), {{role, QStringLiteral("admin")}}, carol).status, 200);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        const QString base = QStringLiteral("/admin/v1/operators/");
        QTest::newRow("unknown operator") << base + QStringLiteral("nobody/disable") << QByteArray() << 404 << "not_found";
        QTest::newRow("bad operator name") << base + QStringLiteral("-x/enable") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("long operator name") << base + QString(200, QLatin1Char('o')) + QStringLiteral("/disable") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("role: empty") << base + QStringLiteral("bob/role") << QByteArray() << 400 << "malformed_json";
        QTest::newRow("role: missing") << base + QStringLiteral("bob/role") << QByteArray("{}") << 400 << "missing_field";
        QTest::newRow("role: unknown") << base + QStringLiteral("bob/role") << QByteArray(R"({"role":"root"})") << 400 << "invalid_value";
        QTest::newRow("role: number") << base + QStringLiteral("bob/role") << QByteArray(R"({"role":1})") << 400 << "wrong_type";
        QTest::newRow("role: unknown operator") << base + QStringLiteral("nobody/role") << QByteArray(R"({"role":"admin"})") << 404 << "not_found";
        QTest::newRow("password: short") << base + QStringLiteral("bob/password") << QByteArray(R"({"password":"short"})") << 400 << "invalid_value";
        QTest::newRow("password: long") << base + QStringLiteral("bob/password") << QByteArray(R"({"password":")" + QByteArray(1100, 'p') + R"("})") << 400 << "invalid_value";
        QTest::newRow("password: null") << base + QStringLiteral("bob/password") << QByteArray(R"({"password":null})") << 400 << "wrong_type";
        QTest::newRow("password: not json") << base + QStringLiteral("bob/password") << QByteArray("{pass") << 400 << "malformed_json";
        QTest::newRow("password: huge body") << base + QStringLiteral("bob/password") << QByteArray(R"({"password":")" + QByteArray(100000, 'p') + R"("})") << 413 << "payload_too_large";
    }
    void badInput()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const int before = m_fx.auditCount();
        const auto reply = m_fx.http().request("POST", path, body, m_fx.admin());
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QVERIFY(AdminFixture::isErrorShape(reply));
        QCOMPARE(m_fx.auditCount(), before);
        if (status != 413) // the size limit is checked before anything else
            QCOMPARE(m_fx.http().request("POST", path, body, QString()).status, 401);
    }

    void auditFiltersAndPaging()
    {
        // Just after the newest entry so far (times are kept in milliseconds).
        const QJsonObject newestBefore = audit(QStringLiteral("?limit=1")).value(QStringLiteral("entries")).toArray().at(0).toObject();
        const QDateTime start = QDateTime::fromString(newestBefore.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs).addMSecs(1);
        QVERIFY(start.isValid());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(post(QStringLiteral("/admin/v1/operators/bob/password"), {{QStringLiteral("password"), QStringLiteral("bob-password-%1").arg(i)}}, m_fx.admin()).status, 204);
        QJsonObject page = audit(QStringLiteral("?action=operator.password&operator=admin&limit=2"));
        QCOMPARE(page.value(QStringLiteral("total")).toInt(), 4); // one from passwordReset()
        QCOMPARE(page.value(QStringLiteral("limit")).toInt(), 2);
        QJsonArray entries = page.value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 2);
        for (const QJsonValue &v : entries) {
            QCOMPARE(v.toObject().value(QStringLiteral("action")).toString(), QStringLiteral("operator.password"));
            QCOMPARE(v.toObject().value(QStringLiteral("operator")).toString(), QStringLiteral("admin"));
        }
        const qint64 newest = entries.at(0).toObject().value(QStringLiteral("id")).toInteger();
        page = audit(QStringLiteral("?action=operator.password&offset=2&limit=2"));
        QCOMPARE(page.value(QStringLiteral("offset")).toInt(), 2);
        QCOMPARE(page.value(QStringLiteral("entries")).toArray().size(), 2);
        QVERIFY(page.value(QStringLiteral("entries")).toArray().at(0).toObject().value(QStringLiteral("id")).toInteger() < newest);

        QUrlQuery since;
        since.addQueryItem(QStringLiteral("action"), QStringLiteral("operator.password"));
        since.addQueryItem(QStringLiteral("since"), start.toString(Qt::ISODateWithMs));
        page = audit(QStringLiteral("?") + since.toString(QUrl::FullyEncoded));
        QCOMPARE(page.value(QStringLiteral("total")).toInt(), 3);
        QUrlQuery until;
        until.addQueryItem(QStringLiteral("until"), start.addSecs(-3600).toString(Qt::ISODateWithMs));
        page = audit(QStringLiteral("?") + until.toString(QUrl::FullyEncoded));
        QCOMPARE(page.value(QStringLiteral("total")).toInt(), 0);
        QCOMPARE(audit(QStringLiteral("?operator=nobody")).value(QStringLiteral("total")).toInt(), 0);
        // Without filters: the old answer plus the paging fields.
        page = audit(QString());
        QVERIFY(page.value(QStringLiteral("total")).toInt() >= page.value(QStringLiteral("entries")).toArray().size());
        QCOMPARE(page.value(QStringLiteral("limit")).toInt(), 100);
    }

    void auditBadInput_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("since not a time") << QStringLiteral("?since=yesterday");
        QTest::newRow("since without zone") << QStringLiteral("?since=2026-01-01T00:00:00");
        QTest::newRow("until garbage") << QStringLiteral("?until=%00%01");
        QTest::newRow("until before since") << QStringLiteral("?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z");
        QTest::newRow("limit 0") << QStringLiteral("?limit=0");
        QTest::newRow("limit 1001") << QStringLiteral("?limit=1001");
        QTest::newRow("offset -3") << QStringLiteral("?offset=-3");
        QTest::newRow("long operator") << QStringLiteral("?operator=") + QString(129, QLatin1Char('o'));
        QTest::newRow("long action") << QStringLiteral("?action=") + QString(65, QLatin1Char('a'));
    }
    void auditBadInput()
    {
        QFETCH(QString, query);
        const auto reply = m_fx.http().get(QStringLiteral("/admin/v1/audit") + query, m_fx.helpdesk());
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorCode(), QStringLiteral("invalid_value"));
    }
};

QTEST_GUILESS_MAIN(tst_AdminOperators)
#include "tst_adminoperators.moc"
