// The console's changes are made off the event loop (issue 17): with the server's storage set-up
// (group commit: a background writer and reading connections), a console login, every change to
// users, devices, sources and operators, their audit rows and the session check of each request
// reach storage through the background writer or a reading connection, never the event loop's
// Storage, which this test counts (tests/support/CountingStorage.h). The answers are what they were:
// 201/200/204 for changes, 404 and 409 refusals decided inside the change, 409 last_admin.
#include "admin/AdminApi.h"
#include "http/HttpRequest.h"
#include "http/HttpResponse.h"
#include "http/Router.h"
#include "registry/PasswordHasher.h"
#include "registry/PasswordWorkPool.h"
#include "CountingStorage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;
using herald::test::CountingStorage;

class tst_AdminOffLoop : public QObject
{
    Q_OBJECT

    struct Reply
    {
        int status = 0;
        QJsonObject json;
        QString errorCode() const { return json.value(QStringLiteral("error")).toString(); }
    };

    QTemporaryDir m_dir;
    std::unique_ptr<CountingStorage> m_storage;
    std::unique_ptr<PasswordHasher> m_hasher;
    std::unique_ptr<PasswordWorkPool> m_pool;
    std::unique_ptr<AdminApi> m_admin;
    Router m_router;
    QString m_token;

    // One request through the router, as a connection makes it: deferred answers are waited for.
    Reply call(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        HttpRequest request;
        request.method = method;
        request.path = path;
        request.peer = QHostAddress::LocalHost;
        if (!body.isEmpty()) {
            request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
            request.headers.insert("content-type", "application/json");
        }
        if (!m_token.isEmpty())
            request.headers.insert("authorization", "Bearer " + m_token.toUtf8());
        HttpResponse response = m_router.dispatch(request);
        while (response.deferred) { // an answer may wait again (a change after a password hash)
            std::optional<HttpResponse> answered;
            response.deferred([&](HttpResponse r) { answered = std::move(r); });
            if (!QTest::qWaitFor([&] { return answered.has_value(); }, 20'000))
                return {};
            response = std::move(*answered);
        }
        return {response.status, QJsonDocument::fromJson(response.body).object()};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_storage = std::make_unique<CountingStorage>(m_dir.filePath(QStringLiteral("admin.sqlite")));
        QString error;
        QVERIFY2(m_storage->open(&error), qPrintable(error));
        m_hasher = std::make_unique<PasswordHasher>(256, 1);
        QVERIFY(m_storage->createOperator(QStringLiteral("root"), m_hasher->hash(QStringLiteral("root-password")),
                                          QStringLiteral("admin")));
        const auto account = m_storage->createAccount(QStringLiteral("bob"), m_hasher->hash(QStringLiteral("x")));
        QVERIFY(account);
        DeviceRecord phone;
        phone.accountId = *account;
        phone.deviceId = QStringLiteral("bobs-phone");
        phone.platform = QStringLiteral("android");
        phone.tokenHash = QByteArray(32, 'p');
        QVERIFY(m_storage->upsertDevice(phone));
        m_storage->setGroupCommit(true); // the server's mode
        m_pool = std::make_unique<PasswordWorkPool>(*m_hasher, 1, 16);
        m_admin = std::make_unique<AdminApi>(*m_storage, *m_hasher, *m_pool); // reads the operators once, at start
        m_admin->registerRoutes(m_router);
        m_storage->armed = true;
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        m_pool.reset();
        m_storage->setGroupCommit(false);
        m_storage.reset();
    }

    void loginReadsOffTheLoop()
    {
        const Reply wrong = call("POST", QStringLiteral("/admin/v1/login"),
                                 {{QStringLiteral("username"), QStringLiteral("root")},
                                  {QStringLiteral("password"), QStringLiteral("wrong-password")}});
        QCOMPARE(wrong.status, 401);
        const Reply login = call("POST", QStringLiteral("/admin/v1/login"),
                                 {{QStringLiteral("username"), QStringLiteral("root")},
                                  {QStringLiteral("password"), QStringLiteral("root-password")}});
        QCOMPARE(login.status, 200);
        m_token = login.json.value(QStringLiteral("token")).toString();
        QVERIFY(!m_token.isEmpty());
        QCOMPARE(m_storage->calls, QStringList());
    }

    void userChangesOffTheLoop()
    {
        const QJsonObject alice{{QStringLiteral("username"), QStringLiteral("alice")},
                                {QStringLiteral("password"), QStringLiteral("alice-password")}};
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/users"), alice).status, 201);
        const Reply again = call("POST", QStringLiteral("/admin/v1/users"), alice);
        QCOMPARE(again.status, 409);
        QCOMPARE(again.errorCode(), QStringLiteral("conflict"));
        const Reply disabled = call("POST", QStringLiteral("/admin/v1/users/alice/disable"));
        QCOMPARE(disabled.status, 200);
        QCOMPARE(disabled.json.value(QStringLiteral("disabled")).toBool(), true);
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/users/alice/enable")).status, 200);
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/users/nobody/disable")).status, 404);
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/users/alice/password"),
                      {{QStringLiteral("password"), QStringLiteral("new-alice-password")}})
                     .status,
                 204);
        QCOMPARE(call("DELETE", QStringLiteral("/admin/v1/devices/bobs-phone")).status, 204);
        QCOMPARE(call("DELETE", QStringLiteral("/admin/v1/devices/bobs-phone")).status, 404);
        QCOMPARE(call("GET", QStringLiteral("/admin/v1/users")).status, 200);
        QCOMPARE(m_storage->calls, QStringList());
    }

    void sourceChangesOffTheLoop()
    {
        const Reply created = call("POST", QStringLiteral("/admin/v1/sources"), {{QStringLiteral("name"), QStringLiteral("crm")}});
        QCOMPARE(created.status, 201);
        QVERIFY(!created.json.value(QStringLiteral("token")).toString().isEmpty());
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/sources"), {{QStringLiteral("name"), QStringLiteral("crm")}}).status, 409);
        QCOMPARE(call("GET", QStringLiteral("/admin/v1/sources")).status, 200);
        QCOMPARE(call("DELETE", QStringLiteral("/admin/v1/sources/crm")).status, 204);
        QCOMPARE(call("DELETE", QStringLiteral("/admin/v1/sources/crm")).status, 409);
        QCOMPARE(m_storage->calls, QStringList());
    }

    void operatorChangesOffTheLoop()
    {
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/operators"),
                      {{QStringLiteral("username"), QStringLiteral("hugo")},
                       {QStringLiteral("password"), QStringLiteral("hugo-password")},
                       {QStringLiteral("role"), QStringLiteral("helpdesk")}})
                     .status,
                 201);
        // root is the only enabled admin: it can be neither demoted nor disabled.
        const Reply last = call("POST", QStringLiteral("/admin/v1/operators/root/role"),
                                {{QStringLiteral("role"), QStringLiteral("helpdesk")}});
        QCOMPARE(last.status, 409);
        QCOMPARE(last.errorCode(), QStringLiteral("last_admin"));
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/operators/root/disable")).status, 409);
        const Reply promoted = call("POST", QStringLiteral("/admin/v1/operators/hugo/role"),
                                    {{QStringLiteral("role"), QStringLiteral("admin")}});
        QCOMPARE(promoted.status, 200);
        QCOMPARE(promoted.json.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/operators/hugo/password"),
                      {{QStringLiteral("password"), QStringLiteral("hugo-password-2")}})
                     .status,
                 204);
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/operators/hugo/disable")).status, 200);
        QCOMPARE(call("GET", QStringLiteral("/admin/v1/operators")).status, 200);
        QCOMPARE(m_storage->calls, QStringList());
    }

    void ownDemotionCountsAtOnce()
    {
        // A second admin, logged in; root demotes it: its next request is refused at once, with no
        // storage read on the event loop to find that out.
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/operators"),
                      {{QStringLiteral("username"), QStringLiteral("ada")},
                       {QStringLiteral("password"), QStringLiteral("ada-password")},
                       {QStringLiteral("role"), QStringLiteral("admin")}})
                     .status,
                 201);
        const QString rootToken = m_token;
        m_token.clear();
        const Reply login = call("POST", QStringLiteral("/admin/v1/login"),
                                 {{QStringLiteral("username"), QStringLiteral("ada")},
                                  {QStringLiteral("password"), QStringLiteral("ada-password")}});
        QCOMPARE(login.status, 200);
        const QString adaToken = login.json.value(QStringLiteral("token")).toString();
        m_token = rootToken;
        QCOMPARE(call("POST", QStringLiteral("/admin/v1/operators/ada/role"), {{QStringLiteral("role"), QStringLiteral("helpdesk")}})
                     .status,
                 200);
        m_token = adaToken;
        const Reply refused = call("POST", QStringLiteral("/admin/v1/users/alice/disable"));
        QCOMPARE(refused.status, 403);
        QCOMPARE(call("GET", QStringLiteral("/admin/v1/users")).status, 200); // helpdesk may look
        m_token = rootToken;
        QCOMPARE(m_storage->calls, QStringList());
    }
};

QTEST_GUILESS_MAIN(tst_AdminOffLoop)
#include "tst_adminoffloop.moc"
