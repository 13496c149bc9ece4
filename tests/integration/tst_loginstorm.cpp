// A login storm against a real herald-server: Argon2id runs on the password worker pool, so
// while registrations wait for their hash the server keeps answering everything else, and when
// the pool's queue is full a registration gets 503 + Retry-After at once instead of waiting. The
// console's new passwords (a user created, an operator's password reset) are hashed on the same
// pool: refused the same way while it is full, created once it has room.
#include "AdminTokens.h"
#include "AsyncHttps.h"
#include "HttpsClient.h"
#include "TestDatabase.h"
#include "ServerProcess.h"
#include "registry/PasswordHasher.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

using namespace herald;
using namespace herald::test;

namespace {

QByteArray registerBody(const QString &deviceId)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("username"), QStringLiteral("alice")},
                                     {QStringLiteral("password"), QStringLiteral("alice-secret")},
                                     {QStringLiteral("device"),
                                      QJsonObject{{QStringLiteral("id"), deviceId},
                                                  {QStringLiteral("platform"), QStringLiteral("desktop")}}},
                                     {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class tst_LoginStorm : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    QString m_sourceToken;
    QString m_admin; // console session, made while the pool is idle

private Q_SLOTS:
    void initTestCase()
    {
        // One worker and room for two more: the pool holds three registrations at a time.
        QVERIFY(m_server.start({QStringLiteral("--password-workers"), QStringLiteral("1"),
                                QStringLiteral("--password-queue"), QStringLiteral("2")}));
        // alice's hash is costly (64 MiB, t=4: a few hundred milliseconds here), so the storm
        // below is still hashing when the other requests arrive. The server's own cost setting
        // does not matter: a hash carries its parameters.
        QString error;
        const auto storage = TestDatabase::open(m_server.dataDir(), &error);
        QVERIFY2(storage, qPrintable(error));
        QVERIFY(storage->createAccount(QStringLiteral("alice"), PasswordHasher(64 * 1024, 4).hash(QStringLiteral("alice-secret"))));
        const auto source = m_server.runCommand({QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("storm")});
        QCOMPARE(source.exitCode, 0);
        m_sourceToken = source.out.trimmed();
        QVERIFY(!m_sourceToken.isEmpty());
        HttpsClient http(m_server.baseUrl(), m_server.caCertificates());
        m_admin = AdminTokens::login(m_server, http).admin;
        QVERIFY(!m_admin.isEmpty());
    }

    void fullQueueAnswers503AndOthersAreServed()
    {
        constexpr int Storm = 8;
        QList<AsyncHttps *> storm;
        for (int i = 0; i < Storm; ++i) {
            auto *r = new AsyncHttps(m_server.port(), m_server.caCertificates(), QHostAddress::LocalHost, this);
            r->send("POST", QStringLiteral("/v1/register"), registerBody(QStringLiteral("storm-%1").arg(i)));
            storm.append(r);
        }
        // Wait until the first refusal: by then the pool is full and hashing.
        auto refusals = [&] {
            int n = 0;
            for (auto *r : storm)
                n += r->isDone() && r->status() == 503;
            return n;
        };
        auto pendingRegistrations = [&] {
            int n = 0;
            for (auto *r : storm)
                n += !r->isDone();
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(refusals() > 0, 20000);
        QVERIFY(pendingRegistrations() > 0);

        // Now, with hashes queued: an event and a health check are answered before they finish.
        AsyncHttps event(m_server.port(), m_server.caCertificates());
        event.send("POST", QStringLiteral("/v1/events"),
                   R"({"account":"alice","app":"mail","eventId":"storm-1","subject":"hi"})", m_sourceToken);
        AsyncHttps health(m_server.port(), m_server.caCertificates());
        health.send("GET", QStringLiteral("/healthz"));
        // The console's new password waits for the same pool: refused at once while it is full.
        AsyncHttps newUser(m_server.port(), m_server.caCertificates());
        newUser.send("POST", QStringLiteral("/admin/v1/users"),
                     R"({"username":"bob","password":"bob-secret-123"})", m_admin);
        QTRY_VERIFY_WITH_TIMEOUT(event.isDone() && health.isDone() && newUser.isDone(), 20000);
        QCOMPARE(event.status(), 202);
        QCOMPARE(health.status(), 200);
        QCOMPARE(newUser.status(), 503);
        QCOMPARE(newUser.errorCode(), QStringLiteral("busy"));
        bool retryOk = false;
        QVERIFY(newUser.header("retry-after").toInt(&retryOk) >= 1 && retryOk);
        QVERIFY2(pendingRegistrations() > 0, "the event waited for the password hashes");

        QTRY_COMPARE_WITH_TIMEOUT(pendingRegistrations(), 0, 60000);
        int created = 0;
        for (auto *r : std::as_const(storm)) {
            if (r->status() == 201) {
                ++created;
                continue;
            }
            QCOMPARE(r->status(), 503);
            QCOMPARE(r->errorCode(), QStringLiteral("busy"));
            QVERIFY(r->json().object().value(QStringLiteral("message")).isString());
            bool ok = false;
            QVERIFY(r->header("retry-after").toInt(&ok) >= 1 && ok);
        }
        QVERIFY2(created >= 3, qPrintable(QStringLiteral("only %1 registrations went through").arg(created)));
        QVERIFY(created < Storm);

        // Once the storm is over, registration works again.
        AsyncHttps after(m_server.port(), m_server.caCertificates());
        after.send("POST", QStringLiteral("/v1/register"), registerBody(QStringLiteral("after")));
        QTRY_VERIFY_WITH_TIMEOUT(after.isDone(), 20000);
        QCOMPARE(after.status(), 201);
        // And the console's request, retried, goes through.
        AsyncHttps retried(m_server.port(), m_server.caCertificates());
        retried.send("POST", QStringLiteral("/admin/v1/users"), R"({"username":"bob","password":"bob-secret-123"})", m_admin);
        QTRY_VERIFY_WITH_TIMEOUT(retried.isDone(), 20000);
        QCOMPARE(retried.status(), 201);
    }

    void wrongPasswordStillRefusedAfterTheWait()
    {
        QByteArray body = registerBody(QStringLiteral("guess"));
        body.replace("alice-secret", "alice-guess");
        AsyncHttps guess(m_server.port(), m_server.caCertificates());
        guess.send("POST", QStringLiteral("/v1/register"), body);
        QTRY_VERIFY_WITH_TIMEOUT(guess.isDone(), 20000);
        QCOMPARE(guess.status(), 401);
        QCOMPARE(guess.errorCode(), QStringLiteral("invalid_credentials"));
    }
};

QTEST_GUILESS_MAIN(tst_LoginStorm)
#include "tst_loginstorm.moc"
