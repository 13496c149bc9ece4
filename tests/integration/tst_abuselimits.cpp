// The rate limits against a real herald-server, each from several loopback addresses (127.0.0.x
// play different clients): the limit holds with 429 + Retry-After in the API's error shape, and
// other clients, accounts and sources are unaffected. /metrics counts the refusals by route and
// reason.
#include "AsyncHttps.h"
#include "HttpsClient.h"
#include "PromText.h"
#include "ServerProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace herald;
using namespace herald::test;

namespace {

QByteArray registerBody(const QString &user, const QString &password, const QString &deviceId)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("username"), user},
                                     {QStringLiteral("password"), password},
                                     {QStringLiteral("device"),
                                      QJsonObject{{QStringLiteral("id"), deviceId},
                                                  {QStringLiteral("platform"), QStringLiteral("desktop")}}},
                                     {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}})
        .toJson(QJsonDocument::Compact);
}

const QByteArray LoginBody = R"({"apps":[{"app":"mail"}]})";

} // namespace

class tst_AbuseLimits : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    int m_nextAddress = 2;

    QHostAddress freshAddress() { return QHostAddress(QStringLiteral("127.0.0.%1").arg(m_nextAddress++)); }

    struct Answer
    {
        int status = 0;
        QString error;
        QByteArray retryAfter;
        QJsonObject body;
    };

    Answer call(const QHostAddress &from, const QByteArray &method, const QString &path, const QByteArray &body = {},
                const QString &bearer = {})
    {
        AsyncHttps request(m_server.port(), m_server.caCertificates(), from);
        request.send(method, path, body, bearer);
        if (!QTest::qWaitFor([&] { return request.isDone(); }, 20000))
            return {};
        return {request.status(), request.errorCode(), request.header("retry-after"), request.json().object()};
    }

    static void verifyRefused(const Answer &a)
    {
        QCOMPARE(a.status, 429);
        QCOMPARE(a.error, QStringLiteral("rate_limited"));
        QVERIFY(!a.body.value(QStringLiteral("message")).toString().isEmpty());
        bool ok = false;
        QVERIFY(a.retryAfter.toInt(&ok) >= 1 && ok);
    }

    QString registerDevice(const QString &user, const QString &deviceId)
    {
        const Answer a = call(freshAddress(), "POST", QStringLiteral("/v1/register"),
                              registerBody(user, user + QStringLiteral("-secret"), deviceId));
        return a.status == 201 ? a.body.value(QStringLiteral("deviceToken")).toString() : QString();
    }

    QString addSource(const QString &name)
    {
        const auto r = m_server.runCommand({QStringLiteral("source"), QStringLiteral("add"), name});
        return r.exitCode == 0 ? r.out.trimmed() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Small limits, and loopback not exempt, so each one shows within a few requests.
        QVERIFY(m_server.start({QStringLiteral("--limit-exempt-addresses"), QStringLiteral("none"),
                                QStringLiteral("--limit-register-per-address"), QStringLiteral("3/min"),
                                QStringLiteral("--limit-register-per-account"), QStringLiteral("2/min"),
                                QStringLiteral("--limit-login-per-address"), QStringLiteral("2/min"),
                                QStringLiteral("--limit-login-per-account"), QStringLiteral("4/min"),
                                QStringLiteral("--limit-session-per-address"), QStringLiteral("2/min"),
                                QStringLiteral("--limit-events-per-source"), QStringLiteral("3/min"),
                                QStringLiteral("--metrics"), QStringLiteral("true")}));
        for (const char *user : {"alice", "bob", "carol", "dave"})
            QVERIFY(m_server.addUser(QString::fromLatin1(user), QString::fromLatin1(user) + QStringLiteral("-secret")));
    }

    void registerPerAddress()
    {
        const QHostAddress busy = freshAddress();
        for (int i = 0; i < 3; ++i)
            QCOMPARE(call(busy, "POST", QStringLiteral("/v1/register"),
                          registerBody(QStringLiteral("alice"), QStringLiteral("alice-secret"), QStringLiteral("a-%1").arg(i)))
                         .status,
                     201);
        verifyRefused(call(busy, "POST", QStringLiteral("/v1/register"),
                           registerBody(QStringLiteral("alice"), QStringLiteral("alice-secret"), QStringLiteral("a-3"))));
        // Another address registers the same account at once.
        QCOMPARE(call(freshAddress(), "POST", QStringLiteral("/v1/register"),
                      registerBody(QStringLiteral("alice"), QStringLiteral("alice-secret"), QStringLiteral("a-4")))
                     .status,
                 201);
    }

    void registerPerAccountCountsFailedPasswords()
    {
        // Guesses at bob's password from ever new addresses: two are checked, then bob is held...
        for (int i = 0; i < 2; ++i)
            QCOMPARE(call(freshAddress(), "POST", QStringLiteral("/v1/register"),
                          registerBody(QStringLiteral("bob"), QStringLiteral("guess"), QStringLiteral("b-%1").arg(i)))
                         .status,
                     401);
        verifyRefused(call(freshAddress(), "POST", QStringLiteral("/v1/register"),
                           registerBody(QStringLiteral("bob"), QStringLiteral("guess"), QStringLiteral("b-2"))));
        // ... even with the right password, so a guess cannot be told apart by its answer,
        verifyRefused(call(freshAddress(), "POST", QStringLiteral("/v1/register"),
                           registerBody(QStringLiteral("bob"), QStringLiteral("bob-secret"), QStringLiteral("b-3"))));
        // while carol is unaffected, and right passwords never use up her allowance.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(call(freshAddress(), "POST", QStringLiteral("/v1/register"),
                          registerBody(QStringLiteral("carol"), QStringLiteral("carol-secret"), QStringLiteral("c-%1").arg(i)))
                         .status,
                     201);
    }

    void loginPerAddress()
    {
        const QString token = registerDevice(QStringLiteral("dave"), QStringLiteral("d-1"));
        const QString other = registerDevice(QStringLiteral("carol"), QStringLiteral("c-9"));
        QVERIFY(!token.isEmpty() && !other.isEmpty());
        const QHostAddress busy = freshAddress();
        QCOMPARE(call(busy, "POST", QStringLiteral("/v1/login"), LoginBody, token).status, 200);
        QCOMPARE(call(busy, "POST", QStringLiteral("/v1/login"), LoginBody, other).status, 200);
        verifyRefused(call(busy, "POST", QStringLiteral("/v1/login"), LoginBody, token));
        QCOMPARE(call(freshAddress(), "POST", QStringLiteral("/v1/login"), LoginBody, token).status, 200);
    }

    void loginPerAccount()
    {
        const QString token = registerDevice(QStringLiteral("alice"), QStringLiteral("a-login"));
        QVERIFY(!token.isEmpty());
        const QString carol = registerDevice(QStringLiteral("carol"), QStringLiteral("c-login"));
        QVERIFY(!carol.isEmpty());
        for (int i = 0; i < 4; ++i)
            QCOMPARE(call(freshAddress(), "POST", QStringLiteral("/v1/login"), LoginBody, token).status, 200);
        verifyRefused(call(freshAddress(), "POST", QStringLiteral("/v1/login"), LoginBody, token));
        QCOMPARE(call(freshAddress(), "POST", QStringLiteral("/v1/login"), LoginBody, carol).status, 200);
    }

    void sessionPerAddress()
    {
        // Not real upgrades (no WebSocket headers): the handler refuses them, but only after the limit.
        const QHostAddress busy = freshAddress();
        for (int i = 0; i < 2; ++i)
            QVERIFY(call(busy, "GET", QStringLiteral("/v1/session")).status != 429);
        verifyRefused(call(busy, "GET", QStringLiteral("/v1/session")));
        QVERIFY(call(freshAddress(), "GET", QStringLiteral("/v1/session")).status != 429);
    }

    void eventsPerSource()
    {
        const QString a = addSource(QStringLiteral("flood"));
        const QString b = addSource(QStringLiteral("calm"));
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        auto event = [](int i) {
            return QStringLiteral(R"({"account":"alice","app":"mail","eventId":"e-%1","subject":"hi"})").arg(i).toUtf8();
        };
        for (int i = 0; i < 3; ++i)
            QCOMPARE(call(freshAddress(), "POST", QStringLiteral("/v1/events"), event(i), a).status, 202);
        verifyRefused(call(freshAddress(), "POST", QStringLiteral("/v1/events"), event(3), a));
        QCOMPARE(call(freshAddress(), "POST", QStringLiteral("/v1/events"), event(4), b).status, 202);
        // No token at all is still the handler's 401, whatever the limit.
        QCOMPARE(call(freshAddress(), "POST", QStringLiteral("/v1/events"), event(5)).status, 401);
    }

    void metricsCountRefusals()
    {
        HttpsClient http(m_server.baseUrl(), m_server.caCertificates());
        const auto reply = http.get(QStringLiteral("/metrics"));
        QCOMPARE(reply.status, 200);
        PromText p;
        QVERIFY2(p.parse(reply.body), qPrintable(p.error()));
        auto rejected = [&](const char *route, const char *reason) {
            return p.value(QStringLiteral("herald_http_rejected_total"),
                           {{QStringLiteral("route"), QString::fromLatin1(route)},
                            {QStringLiteral("reason"), QString::fromLatin1(reason)}});
        };
        QCOMPARE(rejected("/v1/register", "address"), 1.0);
        QVERIFY(rejected("/v1/register", "account") >= 2.0);
        QCOMPARE(rejected("/v1/register", "busy"), 0.0);
        QCOMPARE(rejected("/v1/login", "address"), 1.0);
        QCOMPARE(rejected("/v1/login", "account"), 1.0);
        QCOMPARE(rejected("/v1/session", "address"), 1.0);
        QCOMPARE(rejected("/v1/events", "source"), 1.0);
        QCOMPARE(p.value(QStringLiteral("herald_password_jobs")), 0.0);
        QVERIFY(p.sum(QStringLiteral("herald_http_requests_total"),
                      {{QStringLiteral("route"), QStringLiteral("/v1/register")}, {QStringLiteral("status"), QStringLiteral("429")}}) >= 3);
    }
};

QTEST_GUILESS_MAIN(tst_AbuseLimits)
#include "tst_abuselimits.moc"
