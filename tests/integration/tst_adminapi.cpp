// The admin API (/admin/v1) against a real herald-server over TLS: login, sessions and the
// throttle, role enforcement, every endpoint's success and bad-input answers, and the audit log.
#include "HttpsClient.h"
#include "TestDatabase.h"
#include "ServerProcess.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

using namespace herald::test;

namespace {

const QString ApnsToken = QString(QStringLiteral("0a")).repeated(32);

QJsonObject credentials(const QString &name, const QString &password)
{
    return {{QStringLiteral("username"), name}, {QStringLiteral("password"), password}};
}

QJsonObject registerBody(const QString &user, const QString &password, const QString &deviceId)
{
    return QJsonObject{{QStringLiteral("username"), user},
                       {QStringLiteral("password"), password},
                       {QStringLiteral("device"),
                        QJsonObject{{QStringLiteral("id"), deviceId},
                                    {QStringLiteral("platform"), QStringLiteral("ios")},
                                    {QStringLiteral("pushToken"), ApnsToken},
                                    {QStringLiteral("name"), QStringLiteral("Phone of ") + user}}},
                       {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail"), QStringLiteral("im")}}};
}

bool isErrorShape(const HttpsClient::Reply &reply)
{
    const QJsonObject o = reply.json().object();
    return o.value(QStringLiteral("error")).isString() && !o.value(QStringLiteral("message")).toString().isEmpty();
}

QJsonObject findByName(const QJsonArray &array, const QString &key, const QString &name)
{
    for (const QJsonValue &v : array) {
        if (v.toObject().value(key).toString() == name)
            return v.toObject();
    }
    return {};
}

} // namespace

class tst_AdminApi : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    std::unique_ptr<HttpsClient> m_client;
    QString m_adminPassword;
    QString m_admin;    // admin token
    QString m_helpdesk; // helpdesk token
    QString m_aliceDeviceToken;
    QStringList m_secrets; // passwords and tokens that must never show up in logs or the audit log

    HttpsClient::Reply login(const QString &name, const QString &password)
    {
        return m_client->post(QStringLiteral("/admin/v1/login"), credentials(name, password));
    }
    QString tokenOf(const HttpsClient::Reply &reply)
    {
        const QString token = reply.json().object().value(QStringLiteral("token")).toString();
        m_secrets << token;
        return token;
    }
    QJsonArray audit(int limit = 1000)
    {
        const auto reply = m_client->get(QStringLiteral("/admin/v1/audit?limit=%1").arg(limit), m_admin);
        return reply.json().object().value(QStringLiteral("entries")).toArray();
    }
    bool audited(const QString &op, const QString &action, const QString &target, const QString &outcome = QStringLiteral("ok"))
    {
        const QJsonArray entries = audit();
        for (const QJsonValue &v : entries) {
            const QJsonObject e = v.toObject();
            if (e.value(QStringLiteral("operator")).toString() == op && e.value(QStringLiteral("action")).toString() == action &&
                e.value(QStringLiteral("target")).toString() == target && e.value(QStringLiteral("outcome")).toString() == outcome &&
                e.value(QStringLiteral("peer")).toString() == QLatin1String("127.0.0.1") &&
                QDateTime::fromString(e.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs).isValid())
                return true;
        }
        return false;
    }
    void execSql(const QString &statement)
    {
        QString error;
        QVERIFY2(TestDatabase::exec(m_server.dataDir(), statement, &error), qPrintable(statement + QStringLiteral(": ") + error));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        QFile file(m_server.dataDir() + QStringLiteral("/initial-admin-password"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        m_adminPassword = QString::fromUtf8(file.readAll()).trimmed();
        QVERIFY(!m_adminPassword.isEmpty());
        m_secrets << m_adminPassword;
        m_client = std::make_unique<HttpsClient>(m_server.baseUrl(), m_server.caCertificates());
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-secret")));
        const auto reg = m_client->post(QStringLiteral("/v1/register"),
                                        registerBody(QStringLiteral("alice"), QStringLiteral("alice-secret"), QStringLiteral("alice-phone")));
        QCOMPARE(reg.status, 201);
        m_aliceDeviceToken = reg.json().object().value(QStringLiteral("deviceToken")).toString();
        m_secrets << QStringLiteral("alice-secret") << m_aliceDeviceToken;
    }

    void loginAsAdmin()
    {
        const auto reply = login(QStringLiteral("admin"), m_adminPassword);
        QCOMPARE(reply.status, 200);
        const QJsonObject o = reply.json().object();
        QCOMPARE(o.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
        m_admin = tokenOf(reply);
        QVERIFY(m_admin.size() >= 43); // 256 bits in base64url
        m_secrets << m_admin; // stored as its SHA-256 only
        const QDateTime expires = QDateTime::fromString(o.value(QStringLiteral("expiresAt")).toString(), Qt::ISODateWithMs);
        QVERIFY(expires.isValid());
        const qint64 left = QDateTime::currentDateTimeUtc().secsTo(expires);
        QVERIFY2(left > 7 * 3600 && left <= 8 * 3600, qPrintable(QString::number(left)));
        // A second login is a second, different session.
        const auto again = login(QStringLiteral("admin"), m_adminPassword);
        QCOMPARE(again.status, 200);
        QVERIFY(tokenOf(again) != m_admin);
        QVERIFY(audited(QStringLiteral("admin"), QStringLiteral("login"), QString()));
    }

    void loginRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("password");
        QTest::newRow("wrong password") << QStringLiteral("admin") << QStringLiteral("not-the-password");
        QTest::newRow("unknown operator") << QStringLiteral("nobody") << QStringLiteral("whatever-1");
        QTest::newRow("terminal account is no operator") << QStringLiteral("alice") << QStringLiteral("alice-secret");
    }
    void loginRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, password);
        const auto reply = login(name, password);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.errorCode(), QStringLiteral("invalid_credentials"));
        QVERIFY(reply.json().object().value(QStringLiteral("token")).isUndefined());
        QVERIFY(audited(name, QStringLiteral("login"), QString(), QStringLiteral("invalid_credentials")));
    }

    void malformedBodies_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        const QString login = QStringLiteral("/admin/v1/login");
        const QString users = QStringLiteral("/admin/v1/users");
        const QString ops = QStringLiteral("/admin/v1/operators");
        const QString reset = QStringLiteral("/admin/v1/users/alice/password");
        QTest::newRow("login: empty") << login << QByteArray() << 400 << "malformed_json";
        QTest::newRow("login: not json") << login << QByteArray("{user") << 400 << "malformed_json";
        QTest::newRow("login: array") << login << QByteArray("[]") << 400 << "malformed_json";
        QTest::newRow("login: no username") << login << QByteArray(R"({"password":"x"})") << 400 << "missing_field";
        QTest::newRow("login: number username") << login << QByteArray(R"({"username":5,"password":"x"})") << 400 << "wrong_type";
        QTest::newRow("login: null password") << login << QByteArray(R"({"username":"admin","password":null})") << 400 << "wrong_type";
        QTest::newRow("login: long username") << login << QByteArray(R"({"username":")" + QByteArray(129, 'a') + R"(","password":"x"})") << 400 << "invalid_value";
        QTest::newRow("login: bad username") << login << QByteArray(R"({"username":"a b","password":"x"})") << 400 << "invalid_value";
        QTest::newRow("login: long password") << login << QByteArray(R"({"username":"admin","password":")" + QByteArray(1025, 'p') + R"("})") << 400 << "invalid_value";
        QTest::newRow("login: oversized body") << login << QByteArray(R"({"username":"admin","password":")" + QByteArray(70000, 'p') + R"("})") << 413 << "payload_too_large";
        QTest::newRow("users: empty") << users << QByteArray() << 400 << "malformed_json";
        QTest::newRow("users: no password") << users << QByteArray(R"({"username":"zed"})") << 400 << "missing_field";
        QTest::newRow("users: short password") << users << QByteArray(R"({"username":"zed","password":"1234567"})") << 400 << "invalid_value";
        QTest::newRow("users: array password") << users << QByteArray(R"({"username":"zed","password":["x"]})") << 400 << "wrong_type";
        QTest::newRow("users: bad name") << users << QByteArray(R"({"username":"-zed","password":"12345678"})") << 400 << "invalid_value";
        QTest::newRow("users: slash in name") << users << QByteArray(R"({"username":"a/b","password":"12345678"})") << 400 << "invalid_value";
        QTest::newRow("users: long name") << users << QByteArray(R"({"username":")" + QByteArray(129, 'z') + R"(","password":"12345678"})") << 400 << "invalid_value";
        QTest::newRow("users: long password") << users << QByteArray(R"({"username":"zed","password":")" + QByteArray(1025, 'p') + R"("})") << 400 << "invalid_value";
        QTest::newRow("operators: no role") << ops << QByteArray(R"({"username":"zed","password":"12345678"})") << 400 << "missing_field";
        QTest::newRow("operators: bad role") << ops << QByteArray(R"({"username":"zed","password":"12345678","role":"root"})") << 400 << "invalid_value";
        QTest::newRow("operators: role number") << ops << QByteArray(R"({"username":"zed","password":"12345678","role":1})") << 400 << "wrong_type";
        QTest::newRow("operators: short password") << ops << QByteArray(R"({"username":"zed","password":"short","role":"helpdesk"})") << 400 << "invalid_value";
        QTest::newRow("reset: empty") << reset << QByteArray() << 400 << "malformed_json";
        QTest::newRow("reset: short") << reset << QByteArray(R"({"password":"abc"})") << 400 << "invalid_value";
        QTest::newRow("reset: number") << reset << QByteArray(R"({"password":12345678})") << 400 << "wrong_type";
    }
    void malformedBodies()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const QJsonArray before = audit();
        const auto reply = m_client->request("POST", path, body, m_admin);
        QCOMPARE(reply.status, status);
        QVERIFY2(isErrorShape(reply), reply.body.constData());
        QCOMPARE(reply.errorCode(), code);
        // Nothing was created or changed: no user "zed", no new audit entry.
        const auto users = m_client->get(QStringLiteral("/admin/v1/users"), m_admin).json().object();
        QVERIFY(findByName(users.value(QStringLiteral("users")).toArray(), QStringLiteral("name"), QStringLiteral("zed")).isEmpty());
        QCOMPARE(audit().size(), before.size());
    }

    void wrongContentType()
    {
        const auto reply = m_client->request("POST", QStringLiteral("/admin/v1/users"),
                                             R"({"username":"zed","password":"12345678"})", m_admin, "text/plain");
        QCOMPARE(reply.status, 415);
        QCOMPARE(reply.errorCode(), QStringLiteral("unsupported_media_type"));
    }

    void needsToken_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::newRow("list users") << QByteArray("GET") << QStringLiteral("/admin/v1/users");
        QTest::newRow("create user") << QByteArray("POST") << QStringLiteral("/admin/v1/users");
        QTest::newRow("disable") << QByteArray("POST") << QStringLiteral("/admin/v1/users/alice/disable");
        QTest::newRow("enable") << QByteArray("POST") << QStringLiteral("/admin/v1/users/alice/enable");
        QTest::newRow("password") << QByteArray("POST") << QStringLiteral("/admin/v1/users/alice/password");
        QTest::newRow("devices") << QByteArray("GET") << QStringLiteral("/admin/v1/devices?user=alice");
        QTest::newRow("revoke") << QByteArray("DELETE") << QStringLiteral("/admin/v1/devices/alice-phone");
        QTest::newRow("operators") << QByteArray("GET") << QStringLiteral("/admin/v1/operators");
        QTest::newRow("create operator") << QByteArray("POST") << QStringLiteral("/admin/v1/operators");
        QTest::newRow("audit") << QByteArray("GET") << QStringLiteral("/admin/v1/audit");
        QTest::newRow("logout") << QByteArray("POST") << QStringLiteral("/admin/v1/logout");
    }
    void needsToken()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        const QByteArray body = method == "POST" ? QByteArray(R"({"username":"zed","password":"12345678"})") : QByteArray();
        const auto none = m_client->request(method, path, body);
        QCOMPARE(none.status, 401);
        QCOMPARE(none.errorCode(), QStringLiteral("unauthorized"));
        const auto bogus = m_client->request(method, path, body, QStringLiteral("A").repeated(43));
        QCOMPARE(bogus.status, 401);
        QCOMPARE(bogus.errorCode(), QStringLiteral("invalid_token"));
        const auto garbage = m_client->request(method, path, body, QStringLiteral("not a token!"));
        QCOMPARE(garbage.status, 401);
        QCOMPARE(garbage.errorCode(), QStringLiteral("invalid_token"));
        // A terminal's device token is not a console token.
        const auto device = m_client->request(method, path, body, m_aliceDeviceToken);
        QCOMPARE(device.status, 401);
        QCOMPARE(device.errorCode(), QStringLiteral("invalid_token"));
        // And the device is still there.
        const auto devices = m_client->get(QStringLiteral("/admin/v1/devices?user=alice"), m_admin);
        QCOMPARE(devices.json().object().value(QStringLiteral("devices")).toArray().size(), 1);
    }

    void operators()
    {
        const auto created = m_client->post(QStringLiteral("/admin/v1/operators"),
                                            QJsonObject{{QStringLiteral("username"), QStringLiteral("hugo")},
                                                        {QStringLiteral("password"), QStringLiteral("hugo-helps")},
                                                        {QStringLiteral("role"), QStringLiteral("helpdesk")}},
                                            m_admin);
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json().object().value(QStringLiteral("name")).toString(), QStringLiteral("hugo"));
        QCOMPARE(created.json().object().value(QStringLiteral("role")).toString(), QStringLiteral("helpdesk"));
        m_secrets << QStringLiteral("hugo-helps");
        const auto duplicate = m_client->post(QStringLiteral("/admin/v1/operators"),
                                              QJsonObject{{QStringLiteral("username"), QStringLiteral("hugo")},
                                                          {QStringLiteral("password"), QStringLiteral("other-pass")},
                                                          {QStringLiteral("role"), QStringLiteral("admin")}},
                                              m_admin);
        QCOMPARE(duplicate.status, 409);
        QCOMPARE(duplicate.errorCode(), QStringLiteral("conflict"));

        const auto list = m_client->get(QStringLiteral("/admin/v1/operators"), m_admin);
        QCOMPARE(list.status, 200);
        const QJsonArray ops = list.json().object().value(QStringLiteral("operators")).toArray();
        QCOMPARE(ops.size(), 2);
        QCOMPARE(findByName(ops, QStringLiteral("name"), QStringLiteral("admin")).value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
        const QJsonObject hugo = findByName(ops, QStringLiteral("name"), QStringLiteral("hugo"));
        QCOMPARE(hugo.value(QStringLiteral("role")).toString(), QStringLiteral("helpdesk"));
        QCOMPARE(hugo.value(QStringLiteral("disabled")).toBool(true), false);
        QVERIFY(!list.body.contains("argon2")); // hashes stay on the server
        QVERIFY(audited(QStringLiteral("admin"), QStringLiteral("operator.create"), QStringLiteral("hugo (helpdesk)")));

        const auto hugoLogin = login(QStringLiteral("hugo"), QStringLiteral("hugo-helps"));
        QCOMPARE(hugoLogin.status, 200);
        QCOMPARE(hugoLogin.json().object().value(QStringLiteral("role")).toString(), QStringLiteral("helpdesk"));
        m_helpdesk = tokenOf(hugoLogin);
    }

    void helpdeskMayOnlyRead_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("list users") << QByteArray("GET") << QStringLiteral("/admin/v1/users") << QByteArray() << 200;
        QTest::newRow("devices") << QByteArray("GET") << QStringLiteral("/admin/v1/devices?user=alice") << QByteArray() << 200;
        QTest::newRow("audit") << QByteArray("GET") << QStringLiteral("/admin/v1/audit") << QByteArray() << 200;
        QTest::newRow("create user") << QByteArray("POST") << QStringLiteral("/admin/v1/users") << QByteArray(R"({"username":"zed","password":"12345678"})") << 403;
        QTest::newRow("disable") << QByteArray("POST") << QStringLiteral("/admin/v1/users/alice/disable") << QByteArray() << 403;
        QTest::newRow("enable") << QByteArray("POST") << QStringLiteral("/admin/v1/users/alice/enable") << QByteArray() << 403;
        QTest::newRow("password") << QByteArray("POST") << QStringLiteral("/admin/v1/users/alice/password") << QByteArray(R"({"password":"12345678"})") << 403;
        QTest::newRow("revoke") << QByteArray("DELETE") << QStringLiteral("/admin/v1/devices/alice-phone") << QByteArray() << 403;
        QTest::newRow("operators") << QByteArray("GET") << QStringLiteral("/admin/v1/operators") << QByteArray() << 403;
        QTest::newRow("create operator") << QByteArray("POST") << QStringLiteral("/admin/v1/operators") << QByteArray(R"({"username":"zed","password":"12345678","role":"admin"})") << 403;
    }
    void helpdeskMayOnlyRead()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QVERIFY(!m_helpdesk.isEmpty());
        const int auditBefore = audit().size();
        const auto reply = m_client->request(method, path, body, m_helpdesk);
        QCOMPARE(reply.status, status);
        if (status == 403) {
            QCOMPARE(reply.errorCode(), QStringLiteral("forbidden"));
            QCOMPARE(audit().size(), auditBefore);
        }
        // Nothing changed for alice.
        const auto users = m_client->get(QStringLiteral("/admin/v1/users"), m_admin).json().object().value(QStringLiteral("users")).toArray();
        const QJsonObject alice = findByName(users, QStringLiteral("name"), QStringLiteral("alice"));
        QCOMPARE(alice.value(QStringLiteral("disabled")).toBool(true), false);
        QCOMPARE(alice.value(QStringLiteral("deviceCount")).toInt(), 1);
        QVERIFY(findByName(users, QStringLiteral("name"), QStringLiteral("zed")).isEmpty());
    }

    void listUsers()
    {
        const auto reply = m_client->get(QStringLiteral("/admin/v1/users"), m_admin);
        QCOMPARE(reply.status, 200);
        const QJsonArray users = reply.json().object().value(QStringLiteral("users")).toArray();
        QCOMPARE(users.size(), 1);
        const QJsonObject alice = users.first().toObject();
        QCOMPARE(alice.value(QStringLiteral("name")).toString(), QStringLiteral("alice"));
        QCOMPARE(alice.value(QStringLiteral("deviceCount")).toInt(), 1);
        QVERIFY(QDateTime::fromString(alice.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs).isValid());
        QVERIFY(!reply.body.contains("argon2"));
    }

    void createUser()
    {
        const auto reply = m_client->post(QStringLiteral("/admin/v1/users"), credentials(QStringLiteral("bob"), QStringLiteral("bob-password")), m_admin);
        QCOMPARE(reply.status, 201);
        QCOMPARE(reply.json().object().value(QStringLiteral("name")).toString(), QStringLiteral("bob"));
        QCOMPARE(reply.json().object().value(QStringLiteral("deviceCount")).toInt(-1), 0);
        m_secrets << QStringLiteral("bob-password");
        const auto duplicate = m_client->post(QStringLiteral("/admin/v1/users"), credentials(QStringLiteral("bob"), QStringLiteral("other-password")), m_admin);
        QCOMPARE(duplicate.status, 409);
        QCOMPARE(duplicate.errorCode(), QStringLiteral("conflict"));
        // The new account works on the terminal API with the password the admin gave it.
        const auto reg = m_client->post(QStringLiteral("/v1/register"), registerBody(QStringLiteral("bob"), QStringLiteral("bob-password"), QStringLiteral("bob-phone")));
        QCOMPARE(reg.status, 201);
        m_secrets << reg.json().object().value(QStringLiteral("deviceToken")).toString();
        QVERIFY(audited(QStringLiteral("admin"), QStringLiteral("user.create"), QStringLiteral("bob")));
    }

    void disableEnable()
    {
        const auto disabled = m_client->request("POST", QStringLiteral("/admin/v1/users/bob/disable"), {}, m_admin);
        QCOMPARE(disabled.status, 200);
        QCOMPARE(disabled.json().object().value(QStringLiteral("disabled")).toBool(), true);
        const auto refused = m_client->post(QStringLiteral("/v1/register"), registerBody(QStringLiteral("bob"), QStringLiteral("bob-password"), QStringLiteral("bob-phone")));
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.errorCode(), QStringLiteral("account_disabled"));
        QVERIFY(audited(QStringLiteral("admin"), QStringLiteral("user.disable"), QStringLiteral("bob")));

        const auto enabled = m_client->request("POST", QStringLiteral("/admin/v1/users/bob/enable"), {}, m_admin);
        QCOMPARE(enabled.status, 200);
        QCOMPARE(enabled.json().object().value(QStringLiteral("disabled")).toBool(true), false);
        const auto again = m_client->post(QStringLiteral("/v1/register"), registerBody(QStringLiteral("bob"), QStringLiteral("bob-password"), QStringLiteral("bob-phone")));
        QCOMPARE(again.status, 201);
        m_secrets << again.json().object().value(QStringLiteral("deviceToken")).toString();
        QVERIFY(audited(QStringLiteral("admin"), QStringLiteral("user.enable"), QStringLiteral("bob")));
    }

    void unknownAndInvalidNames_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("disable unknown") << QByteArray("POST") << QStringLiteral("/admin/v1/users/nobody/disable") << QByteArray() << 404 << "not_found";
        QTest::newRow("enable unknown") << QByteArray("POST") << QStringLiteral("/admin/v1/users/nobody/enable") << QByteArray() << 404 << "not_found";
        QTest::newRow("password unknown") << QByteArray("POST") << QStringLiteral("/admin/v1/users/nobody/password") << QByteArray(R"({"password":"12345678"})") << 404 << "not_found";
        QTest::newRow("disable invalid") << QByteArray("POST") << QStringLiteral("/admin/v1/users/%20bad/disable") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("disable long") << QByteArray("POST") << QStringLiteral("/admin/v1/users/%1/disable").arg(QString(200, QLatin1Char('a'))) << QByteArray() << 400 << "invalid_value";
        QTest::newRow("devices unknown") << QByteArray("GET") << QStringLiteral("/admin/v1/devices?user=nobody") << QByteArray() << 404 << "not_found";
        QTest::newRow("devices invalid") << QByteArray("GET") << QStringLiteral("/admin/v1/devices?user=%3Cx%3E") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("devices bad limit") << QByteArray("GET") << QStringLiteral("/admin/v1/devices?limit=0") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("revoke unknown") << QByteArray("DELETE") << QStringLiteral("/admin/v1/devices/no-such-device") << QByteArray() << 404 << "not_found";
        QTest::newRow("revoke long") << QByteArray("DELETE") << QStringLiteral("/admin/v1/devices/%1").arg(QString(129, QLatin1Char('d'))) << QByteArray() << 400 << "invalid_value";
        QTest::newRow("audit limit 0") << QByteArray("GET") << QStringLiteral("/admin/v1/audit?limit=0") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("audit limit text") << QByteArray("GET") << QStringLiteral("/admin/v1/audit?limit=ten") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("audit limit big") << QByteArray("GET") << QStringLiteral("/admin/v1/audit?limit=1001") << QByteArray() << 400 << "invalid_value";
        QTest::newRow("unknown path") << QByteArray("GET") << QStringLiteral("/admin/v1/nothing") << QByteArray() << 404 << "not_found";
        QTest::newRow("wrong method") << QByteArray("PUT") << QStringLiteral("/admin/v1/users") << QByteArray() << 405 << "method_not_allowed";
    }
    void unknownAndInvalidNames()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const int auditBefore = audit().size();
        const auto reply = m_client->request(method, path, body, m_admin);
        QCOMPARE(reply.status, status);
        QVERIFY2(isErrorShape(reply), reply.body.constData());
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(audit().size(), auditBefore);
    }

    void resetPassword()
    {
        const auto reply = m_client->post(QStringLiteral("/admin/v1/users/alice/password"),
                                          QJsonObject{{QStringLiteral("password"), QStringLiteral("alice-new-secret")}}, m_admin);
        QCOMPARE(reply.status, 204);
        m_secrets << QStringLiteral("alice-new-secret");
        const auto old = m_client->post(QStringLiteral("/v1/register"), registerBody(QStringLiteral("alice"), QStringLiteral("alice-secret"), QStringLiteral("alice-tablet")));
        QCOMPARE(old.status, 401);
        const auto fresh = m_client->post(QStringLiteral("/v1/register"), registerBody(QStringLiteral("alice"), QStringLiteral("alice-new-secret"), QStringLiteral("alice-tablet")));
        QCOMPARE(fresh.status, 201);
        m_secrets << fresh.json().object().value(QStringLiteral("deviceToken")).toString();
        QVERIFY(audited(QStringLiteral("admin"), QStringLiteral("user.password"), QStringLiteral("alice")));
    }

    void devices()
    {
        const auto reply = m_client->get(QStringLiteral("/admin/v1/devices?user=alice"), m_helpdesk);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().object().value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
        const QJsonArray devices = reply.json().object().value(QStringLiteral("devices")).toArray();
        QCOMPARE(devices.size(), 2);
        const QJsonObject phone = findByName(devices, QStringLiteral("deviceId"), QStringLiteral("alice-phone"));
        QCOMPARE(phone.value(QStringLiteral("platform")).toString(), QStringLiteral("ios"));
        QCOMPARE(phone.value(QStringLiteral("name")).toString(), QStringLiteral("Phone of alice"));
        QCOMPARE(phone.value(QStringLiteral("pushTokenState")).toString(), QStringLiteral("active"));
        QCOMPARE(phone.value(QStringLiteral("apps")).toArray(), (QJsonArray{QStringLiteral("im"), QStringLiteral("mail")}));
        QVERIFY(phone.contains(QStringLiteral("lastSeen")));
        QVERIFY(!reply.body.contains(ApnsToken.toLatin1())); // push tokens stay on the server
    }

    void revokeDevice()
    {
        const auto reply = m_client->request("DELETE", QStringLiteral("/admin/v1/devices/alice-phone"), {}, m_admin);
        QCOMPARE(reply.status, 204);
        // The terminal's token is dead now.
        const auto terminal = m_client->request("DELETE", QStringLiteral("/v1/register"), {}, m_aliceDeviceToken);
        QCOMPARE(terminal.status, 401);
        const auto devices = m_client->get(QStringLiteral("/admin/v1/devices?user=alice"), m_admin);
        const QJsonArray list = devices.json().object().value(QStringLiteral("devices")).toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().toObject().value(QStringLiteral("deviceId")).toString(), QStringLiteral("alice-tablet"));
        const auto again = m_client->request("DELETE", QStringLiteral("/admin/v1/devices/alice-phone"), {}, m_admin);
        QCOMPARE(again.status, 404);
        QVERIFY(audited(QStringLiteral("admin"), QStringLiteral("device.revoke"), QStringLiteral("alice-phone (alice)")));
    }

    void auditLimitAndOrder()
    {
        const auto reply = m_client->get(QStringLiteral("/admin/v1/audit?limit=2"), m_helpdesk);
        QCOMPARE(reply.status, 200);
        const QJsonArray entries = reply.json().object().value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 2);
        // Newest first: the revoke just before is at the top.
        QCOMPARE(entries.at(0).toObject().value(QStringLiteral("action")).toString(), QStringLiteral("device.revoke"));
        QVERIFY(entries.at(0).toObject().value(QStringLiteral("id")).toInteger() >
                entries.at(1).toObject().value(QStringLiteral("id")).toInteger());
        QVERIFY(audit().size() > 10);
    }

    void throttle()
    {
        QVERIFY(m_client->post(QStringLiteral("/admin/v1/operators"),
                               QJsonObject{{QStringLiteral("username"), QStringLiteral("tess")},
                                           {QStringLiteral("password"), QStringLiteral("tess-password")},
                                           {QStringLiteral("role"), QStringLiteral("helpdesk")}},
                               m_admin).status == 201);
        m_secrets << QStringLiteral("tess-password");
        for (int i = 0; i < 5; ++i)
            QCOMPARE(login(QStringLiteral("tess"), QStringLiteral("guess-%1").arg(i)).status, 401);
        // Locked now: even the right password is refused, with a Retry-After.
        const auto locked = login(QStringLiteral("tess"), QStringLiteral("tess-password"));
        QCOMPARE(locked.status, 429);
        QCOMPARE(locked.errorCode(), QStringLiteral("too_many_attempts"));
        const int retryAfter = locked.header("Retry-After").toInt();
        QVERIFY2(retryAfter > 0 && retryAfter <= 30, locked.header("Retry-After").constData());
        QVERIFY(audited(QStringLiteral("tess"), QStringLiteral("login"), QString(), QStringLiteral("invalid_credentials, locked")));
        // Others are not affected, and the name matches case-insensitively for the lock.
        QCOMPARE(login(QStringLiteral("TESS"), QStringLiteral("tess-password")).status, 429);
        QCOMPARE(login(QStringLiteral("admin"), m_adminPassword).status, 200);
    }

    void disabledOperator()
    {
        execSql(QStringLiteral("UPDATE operators SET disabled = 1 WHERE name = 'hugo'"));
        // The session hugo already had ends with the account: disabled outside this server (SQL here,
        // another node of a cluster), within AdminSessions::RefreshMs.
        QTRY_COMPARE_WITH_TIMEOUT(m_client->get(QStringLiteral("/admin/v1/users"), m_helpdesk).status, 401, 10'000);
        const auto session = m_client->get(QStringLiteral("/admin/v1/users"), m_helpdesk);
        QCOMPARE(session.status, 401);
        QCOMPARE(session.errorCode(), QStringLiteral("invalid_token"));
        const auto reply = login(QStringLiteral("hugo"), QStringLiteral("hugo-helps"));
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.errorCode(), QStringLiteral("account_disabled"));
        QVERIFY(reply.json().object().value(QStringLiteral("token")).isUndefined());
        QVERIFY(audited(QStringLiteral("hugo"), QStringLiteral("login"), QString(), QStringLiteral("account_disabled")));
        // A wrong password for a disabled operator says nothing about the account's state.
        QCOMPARE(login(QStringLiteral("hugo"), QStringLiteral("wrong-password")).status, 401);
    }

    void logout()
    {
        const auto reply = login(QStringLiteral("admin"), m_adminPassword);
        const QString token = tokenOf(reply);
        QCOMPARE(m_client->get(QStringLiteral("/admin/v1/users"), token).status, 200);
        QCOMPARE(m_client->request("POST", QStringLiteral("/admin/v1/logout"), {}, token).status, 204);
        const auto after = m_client->get(QStringLiteral("/admin/v1/users"), token);
        QCOMPARE(after.status, 401);
        QCOMPARE(after.errorCode(), QStringLiteral("invalid_token"));
        // Other sessions live on.
        QCOMPARE(m_client->get(QStringLiteral("/admin/v1/users"), m_admin).status, 200);
    }

    void secretsStayOutOfLogsAndAudit()
    {
        const QString log = m_server.output();
        QVERIFY(log.contains(QStringLiteral("audit:")));
        const QByteArray auditJson = QJsonDocument(audit()).toJson();
        const QByteArray dbBytes = TestDatabase::contents(m_server.dataDir());
        QVERIFY(!dbBytes.isEmpty());
        for (const QString &secret : std::as_const(m_secrets)) {
            QVERIFY(!secret.isEmpty());
            // The generated admin password is printed once on purpose, to whoever started the server.
            const bool printedOnPurpose = secret == m_adminPassword;
            QVERIFY2(printedOnPurpose || !log.contains(secret), qPrintable(QStringLiteral("server log contains a secret")));
            QVERIFY2(!auditJson.contains(secret.toUtf8()), qPrintable(QStringLiteral("audit log contains a secret")));
            if (secret != m_adminPassword) // the admin password file is next to the database, not in it
                QVERIFY2(!dbBytes.contains(secret.toUtf8()), qPrintable(QStringLiteral("database contains a secret")));
        }
    }

    void aSessionOutlivesARestart()
    {
        // Sessions are rows (schema 18), so a restart (an upgrade, a service restart) keeps consoles
        // logged in, and what was logged out stays out.
        const QString ended = tokenOf(login(QStringLiteral("admin"), m_adminPassword));
        QCOMPARE(m_client->request("POST", QStringLiteral("/admin/v1/logout"), {}, ended).status, 204);
        QCOMPARE(m_server.stop(), 0);
        QVERIFY(m_server.start());
        m_client = std::make_unique<HttpsClient>(m_server.baseUrl(), m_server.caCertificates());
        QCOMPARE(m_client->get(QStringLiteral("/admin/v1/users"), m_admin).status, 200);
        QCOMPARE(m_client->get(QStringLiteral("/admin/v1/users"), ended).status, 401);
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_AdminApi)
#include "tst_adminapi.moc"
