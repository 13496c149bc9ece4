// Event sources: `herald-server source list|revoke` next to a running server, and
// /admin/v1/sources (list, add with the token shown once, revoke), roles and bad input. A revoked
// token is refused by POST /v1/events from the very next request.
#include "AdminFixture.h"

#include <QJsonArray>
#include <QtTest>

using namespace herald::test;

class tst_AdminSources : public QObject
{
    Q_OBJECT

private:
    AdminFixture m_fx;

    int postEvent(const QString &token, const QString &eventId)
    {
        const QJsonObject body{{QStringLiteral("account"), QStringLiteral("alice")},
                               {QStringLiteral("app"), QStringLiteral("mail")},
                               {QStringLiteral("eventId"), eventId}};
        return m_fx.http().post(QStringLiteral("/v1/events"), body, token).status;
    }
    QJsonObject sourceNamed(const QString &name)
    {
        const auto reply = m_fx.http().get(QStringLiteral("/admin/v1/sources"), m_fx.helpdesk());
        for (const QJsonValue &v : reply.json().object().value(QStringLiteral("sources")).toArray())
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                return v.toObject();
        return {};
    }
    ServerProcess::Result cli(const QStringList &args) { return m_fx.server().runCommand(QStringList{QStringLiteral("source")} + args); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_fx.start()); }

    void cliListAndRevokeWhileServing()
    {
        QCOMPARE(postEvent(m_fx.delivery().sourceToken(), QStringLiteral("before-revoke")), 202);
        // Twice more, so the server has certainly kept the token in memory before the revoke.
        QCOMPARE(postEvent(m_fx.delivery().sourceToken(), QStringLiteral("before-revoke-2")), 202);

        auto listed = cli({QStringLiteral("list")});
        QCOMPARE(listed.exitCode, 0);
        QStringList fields = listed.out.trimmed().split(QLatin1Char('\t'));
        QCOMPARE(fields.size(), 4);
        QCOMPARE(fields.at(0), QStringLiteral("crm"));
        QCOMPARE(fields.at(1), QStringLiteral("events"));
        QVERIFY(QDateTime::fromString(fields.at(2), Qt::ISODate).isValid());
        QCOMPARE(fields.at(3), QStringLiteral("-"));

        const auto revoked = cli({QStringLiteral("revoke"), QStringLiteral("crm")});
        QCOMPARE(revoked.exitCode, 0);
        // Another process revoked it: the running server refuses the token on the next request.
        const QJsonObject body{{QStringLiteral("account"), QStringLiteral("alice")},
                               {QStringLiteral("app"), QStringLiteral("mail")},
                               {QStringLiteral("eventId"), QStringLiteral("after-revoke")}};
        const auto refused = m_fx.http().post(QStringLiteral("/v1/events"), body, m_fx.delivery().sourceToken());
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.errorCode(), QStringLiteral("invalid_token"));

        listed = cli({QStringLiteral("list")});
        fields = listed.out.trimmed().split(QLatin1Char('\t'));
        QVERIFY(QDateTime::fromString(fields.value(3), Qt::ISODate).isValid());
        QVERIFY(!sourceNamed(QStringLiteral("crm")).value(QStringLiteral("revokedAt")).isNull());

        const auto again = cli({QStringLiteral("revoke"), QStringLiteral("crm")});
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains(QStringLiteral("already revoked")));
        // A revoked name stays taken: its events' history names it.
        QCOMPARE(cli({QStringLiteral("add"), QStringLiteral("crm")}).exitCode, 1);
    }

    void cliBadInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("no verb") << QStringList{} << 2;
        QTest::newRow("unknown verb") << QStringList{QStringLiteral("drop"), QStringLiteral("crm")} << 2;
        QTest::newRow("list with a name") << QStringList{QStringLiteral("list"), QStringLiteral("crm")} << 2;
        QTest::newRow("revoke without a name") << QStringList{QStringLiteral("revoke")} << 2;
        QTest::newRow("revoke two names") << QStringList{QStringLiteral("revoke"), QStringLiteral("a"), QStringLiteral("b")} << 2;
        QTest::newRow("revoke upper case") << QStringList{QStringLiteral("revoke"), QStringLiteral("CRM")} << 2;
        QTest::newRow("revoke monitor source") << QStringList{QStringLiteral("revoke"), QStringLiteral("monitor:imap")} << 2;
        QTest::newRow("revoke long name") << QStringList{QStringLiteral("revoke"), QString(65, QLatin1Char('a'))} << 2;
        QTest::newRow("revoke unknown") << QStringList{QStringLiteral("revoke"), QStringLiteral("nosuch")} << 1;
    }
    void cliBadInput()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        const auto result = cli(args);
        QCOMPARE(result.exitCode, exitCode);
        QVERIFY(!result.err.isEmpty());
        QVERIFY(result.out.isEmpty());
    }

    void apiAddUseRevoke()
    {
        const int auditBefore = m_fx.auditCount();
        // Helpdesk may read but neither add nor revoke; nothing is written when refused.
        auto refused = m_fx.http().post(QStringLiteral("/admin/v1/sources"), QJsonObject{{QStringLiteral("name"), QStringLiteral("erp")}},
                                        m_fx.helpdesk());
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.errorCode(), QStringLiteral("forbidden"));
        QVERIFY(sourceNamed(QStringLiteral("erp")).isEmpty());
        QCOMPARE(m_fx.auditCount(), auditBefore);

        const auto created = m_fx.http().post(QStringLiteral("/admin/v1/sources"),
                                              QJsonObject{{QStringLiteral("name"), QStringLiteral("erp")}}, m_fx.admin());
        QCOMPARE(created.status, 201);
        const QJsonObject o = created.json().object();
        QCOMPARE(o.value(QStringLiteral("name")).toString(), QStringLiteral("erp"));
        QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("events"));
        const QString token = o.value(QStringLiteral("token")).toString();
        QVERIFY(token.size() >= 43);
        QVERIFY(m_fx.audited(QStringLiteral("admin"), QStringLiteral("source.create"), QStringLiteral("erp")));
        QCOMPARE(postEvent(token, QStringLiteral("erp-1")), 202);

        // The token is shown once: listings never carry it.
        const auto list = m_fx.http().get(QStringLiteral("/admin/v1/sources"), m_fx.helpdesk());
        QCOMPARE(list.status, 200);
        QVERIFY(!list.body.contains(token.toUtf8()));
        QCOMPARE(list.json().object().value(QStringLiteral("total")).toInt(), 2);
        const QJsonObject erp = sourceNamed(QStringLiteral("erp"));
        QVERIFY(erp.value(QStringLiteral("revokedAt")).isNull());
        QVERIFY(QDateTime::fromString(erp.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs).isValid());

        const auto duplicate = m_fx.http().post(QStringLiteral("/admin/v1/sources"),
                                                QJsonObject{{QStringLiteral("name"), QStringLiteral("erp")}}, m_fx.admin());
        QCOMPARE(duplicate.status, 409);
        QCOMPARE(duplicate.errorCode(), QStringLiteral("conflict"));

        const int auditMid = m_fx.auditCount();
        refused = m_fx.http().request("DELETE", QStringLiteral("/admin/v1/sources/erp"), {}, m_fx.helpdesk());
        QCOMPARE(refused.status, 403);
        QCOMPARE(postEvent(token, QStringLiteral("erp-2")), 202);
        QCOMPARE(m_fx.auditCount(), auditMid);

        const auto revoked = m_fx.http().request("DELETE", QStringLiteral("/admin/v1/sources/erp"), {}, m_fx.admin());
        QCOMPARE(revoked.status, 204);
        QCOMPARE(postEvent(token, QStringLiteral("erp-3")), 401);
        QVERIFY(m_fx.audited(QStringLiteral("admin"), QStringLiteral("source.revoke"), QStringLiteral("erp")));
        QVERIFY(!sourceNamed(QStringLiteral("erp")).value(QStringLiteral("revokedAt")).isNull());

        const auto twice = m_fx.http().request("DELETE", QStringLiteral("/admin/v1/sources/erp"), {}, m_fx.admin());
        QCOMPARE(twice.status, 409);
    }

    void paging()
    {
        for (const QString &name : {QStringLiteral("p1"), QStringLiteral("p2"), QStringLiteral("p3")})
            QCOMPARE(m_fx.http().post(QStringLiteral("/admin/v1/sources"), QJsonObject{{QStringLiteral("name"), name}}, m_fx.admin()).status, 201);
        const auto page = m_fx.http().get(QStringLiteral("/admin/v1/sources?offset=1&limit=2"), m_fx.admin());
        QCOMPARE(page.status, 200);
        const QJsonObject o = page.json().object();
        QCOMPARE(o.value(QStringLiteral("total")).toInt(), 5); // crm, erp, p1, p2, p3 by name
        QCOMPARE(o.value(QStringLiteral("offset")).toInt(), 1);
        QCOMPARE(o.value(QStringLiteral("limit")).toInt(), 2);
        const QJsonArray list = o.value(QStringLiteral("sources")).toArray();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("erp"));
        QCOMPARE(list.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("p1"));
        const auto past = m_fx.http().get(QStringLiteral("/admin/v1/sources?offset=99"), m_fx.admin());
        QCOMPARE(past.json().object().value(QStringLiteral("sources")).toArray().size(), 0);
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        const QString s = QStringLiteral("/admin/v1/sources");
        QTest::newRow("post: empty") << QByteArray("POST") << s << QByteArray() << 400 << "malformed_json";
        QTest::newRow("post: not json") << QByteArray("POST") << s << QByteArray("{name") << 400 << "malformed_json";
        QTest::newRow("post: array") << QByteArray("POST") << s << QByteArray("[]") << 400 << "malformed_json";
        QTest::newRow("post: no name") << QByteArray("POST") << s << QByteArray("{}") << 400 << "missing_field";
        QTest::newRow("post: number name") << QByteArray("POST") << s << QByteArray(R"({"name":7})") << 400 << "wrong_type";
        QTest::newRow("post: upper case") << QByteArray("POST") << s << QByteArray(R"({"name":"ERP"})") << 400 << "invalid_value";
        QTest::newRow("post: space") << QByteArray("POST") << s << QByteArray(R"({"name":"e rp"})") << 400 << "invalid_value";
        QTest::newRow("post: monitor") << QByteArray("POST") << s << QByteArray(R"({"name":"monitor-x"})") << 400 << "invalid_value";
        QTest::newRow("post: long") << QByteArray("POST") << s << QByteArray(R"({"name":")" + QByteArray(65, 'a') + R"("})") << 400 << "invalid_value";
        QTest::newRow("post: huge") << QByteArray("POST") << s << QByteArray(R"({"name":")" + QByteArray(100000, 'a') + R"("})") << 413 << "payload_too_large";
        QTest::newRow("delete: unknown") << QByteArray("DELETE") << s + QStringLiteral("/nosuch") << QByteArray() << 404 << "not_found";
        QTest::newRow("delete: bad name") << QByteArray("DELETE") << s + QStringLiteral("/Bad%20Name") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("list: offset -1") << QByteArray("GET") << s + QStringLiteral("?offset=-1") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("list: limit 0") << QByteArray("GET") << s + QStringLiteral("?limit=0") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("list: limit 501") << QByteArray("GET") << s + QStringLiteral("?limit=501") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("list: limit text") << QByteArray("GET") << s + QStringLiteral("?limit=ten") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("list: offset huge") << QByteArray("GET") << s + QStringLiteral("?offset=99999999999999999999") << QByteArray() << 400 << "invalid_value";
    }
    void badInput()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const int auditBefore = m_fx.auditCount();
        const auto reply = m_fx.http().request(method, path, body, m_fx.admin());
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QVERIFY(AdminFixture::isErrorShape(reply));
        QCOMPARE(m_fx.auditCount(), auditBefore);
    }

    void unauthenticated()
    {
        for (const QString &token : {QString(), QStringLiteral("not-a-token"), QString(43, QLatin1Char('A'))}) {
            QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/sources"), token).status, 401);
            QCOMPARE(m_fx.http().post(QStringLiteral("/admin/v1/sources"), QJsonObject{{QStringLiteral("name"), QStringLiteral("x1")}}, token).status, 401);
            QCOMPARE(m_fx.http().request("DELETE", QStringLiteral("/admin/v1/sources/p1"), {}, token).status, 401);
        }
        QVERIFY(sourceNamed(QStringLiteral("x1")).isEmpty());
        QVERIFY(sourceNamed(QStringLiteral("p1")).value(QStringLiteral("revokedAt")).isNull());
    }
};

QTEST_GUILESS_MAIN(tst_AdminSources)
#include "tst_adminsources.moc"
