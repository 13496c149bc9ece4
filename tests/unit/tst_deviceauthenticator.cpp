// DeviceAuthenticator::withDevice, the door of every terminal endpoint: a missing or malformed
// token is answered at once; anything else is looked up off the event loop (on a reading
// connection when the storage has them) and handed to the endpoint there. A token nobody has is
// 401, a disabled account 403, and storage that cannot be read 500, never 401: a terminal told
// 401 throws its token away.
#include "api/DeviceAuthenticator.h"
#include "http/HttpRequest.h"
#include "registry/DeviceToken.h"
#include "storage/SqliteStorage.h"

#include <QPointer>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace herald;

class tst_DeviceAuthenticator : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;

    struct Fixture
    {
        std::unique_ptr<SqliteStorage> storage;
        QString token;
        qint64 accountId = 0;
    };

    Fixture fixture()
    {
        Fixture f;
        f.storage = std::make_unique<SqliteStorage>(m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_n)));
        QString error;
        if (!f.storage->open(&error))
            qFatal("open: %s", qPrintable(error));
        f.accountId = *f.storage->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        f.token = DeviceToken::generate();
        DeviceRecord d;
        d.accountId = f.accountId;
        d.deviceId = QStringLiteral("phone");
        d.platform = QStringLiteral("android");
        d.pushToken = QStringLiteral("push-token");
        d.tokenHash = DeviceToken::hash(f.token);
        d.apps = {QStringLiteral("mail")};
        if (!f.storage->upsertDevice(d))
            qFatal("upsertDevice: %s", qPrintable(f.storage->lastError()));
        return f;
    }

    static HttpRequest withBearer(const QString &token)
    {
        HttpRequest request;
        request.method = "GET";
        request.path = QStringLiteral("/v1/notifications");
        if (!token.isNull())
            request.headers.insert("authorization", "Bearer " + token.toLatin1());
        return request;
    }

    // The answer withDevice() gives, waiting for a deferred one (nullopt: none came).
    static std::optional<HttpResponse> answerOf(HttpResponse response)
    {
        if (!response.deferred)
            return response;
        auto answer = std::make_shared<std::optional<HttpResponse>>();
        response.deferred([answer](HttpResponse r) { *answer = std::move(r); });
        QTest::qWaitFor([&answer] { return answer->has_value(); }, 10000);
        return *answer;
    }

    static HttpResponse echo(const DeviceAuthenticator::Result &auth)
    {
        if (!auth.device)
            return HttpResponse::error(auth.error);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("device"), auth.device->deviceId},
                                                   {QStringLiteral("account"), auth.account->name}});
    }

private Q_SLOTS:
    void missingAndMalformedTokensAreAnsweredAtOnce()
    {
        Fixture f = fixture();
        DeviceAuthenticator auth(*f.storage);
        for (const QString &token : {QString(), QStringLiteral("short"), QStringLiteral("x").repeated(5000),
                                     QStringLiteral("not a token at all, with spaces and \u00e9")}) {
            const HttpResponse response = auth.withDevice(withBearer(token), this, &echo);
            QVERIFY(!response.deferred); // no read for what cannot be a token
            QCOMPARE(response.status, 401);
        }
    }

    void knownUnknownAndDisabled()
    {
        Fixture f = fixture();
        DeviceAuthenticator auth(*f.storage);
        auto known = answerOf(auth.withDevice(withBearer(f.token), this, &echo));
        QVERIFY(known);
        QCOMPARE(known->status, 200);
        QVERIFY(known->body.contains("\"phone\""));

        auto unknown = answerOf(auth.withDevice(withBearer(DeviceToken::generate()), this, &echo));
        QVERIFY(unknown);
        QCOMPARE(unknown->status, 401);
        QVERIFY(unknown->body.contains("invalid_token"));

        QVERIFY(f.storage->setAccountDisabled(f.accountId, true));
        auto disabled = answerOf(auth.withDevice(withBearer(f.token), this, &echo));
        QVERIFY(disabled);
        QCOMPARE(disabled->status, 403);
        QVERIFY(disabled->body.contains("account_disabled"));
    }

    void unreadableStorageIsNotAnUnknownToken()
    {
        Fixture f = fixture();
        DeviceAuthenticator auth(*f.storage);
        f.storage->close(); // every read fails from here on
        auto answer = answerOf(auth.withDevice(withBearer(f.token), this, &echo));
        QVERIFY(answer);
        QCOMPARE(answer->status, 500);
        QVERIFY(!answer->body.contains("invalid_token"));
    }

    void theLookupRunsOnAReadingConnection()
    {
        Fixture f = fixture();
        f.storage->setGroupCommit(true); // the server's mode: reading connections run
        DeviceAuthenticator auth(*f.storage);
        QThread *const loop = QThread::currentThread();
        std::atomic<bool> readOnLoop{true};
        bool thenOnLoop = false;
        auto answer = answerOf(auth.withDevice(
            withBearer(f.token), this,
            [&](const DeviceAuthenticator::Result &result) {
                thenOnLoop = QThread::currentThread() == loop;
                return echo(result);
            },
            [&](Storage &, const DeviceAuthenticator::Result &) { readOnLoop = QThread::currentThread() == loop; }));
        QVERIFY(answer);
        QCOMPARE(answer->status, 200);
        QVERIFY(!readOnLoop.load());
        QVERIFY(thenOnLoop);

        // The endpoint's object gone before the read came back (the server going down): its
        // handler is not called, and nothing is answered.
        auto context = std::make_unique<QObject>();
        bool called = false, answered = false;
        HttpResponse response = auth.withDevice(withBearer(f.token), context.get(), [&](const DeviceAuthenticator::Result &r) {
            called = true;
            return echo(r);
        });
        QVERIFY(response.deferred);
        response.deferred([&answered](HttpResponse) { answered = true; });
        context.reset();
        f.storage->setGroupCommit(false); // drains the readers: their `done`s run now
        QVERIFY(!called);
        QVERIFY(!answered);
    }
};

QTEST_GUILESS_MAIN(tst_DeviceAuthenticator)
#include "tst_deviceauthenticator.moc"
