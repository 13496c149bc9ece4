// Storage's contract where connections meet, run against each engine like tst_storageengines
// (`tst_storagechanges sqlite|postgresql`): the outbox's claims are exclusive across connections,
// background writes and reads run off the event loop and survive a PostgreSQL restart, and what
// one connection changes reaches the event targets and source tokens another keeps in memory, and
// a cluster's nodes find each other's sessions and hand deliveries over.
#include "EngineDatabases.h"
#include "RecordStatePrinting.h"
#include "SqlRows.h"
#include "storage/SqlResources.h"
#include "storage/SqliteStorage.h"
#include "storage/postgresql/PostgresStorage.h"

#include <QSemaphore>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

using namespace herald;

class tst_StorageChanges : public QObject
{
    Q_OBJECT

public:
    explicit tst_StorageChanges(const QString &engine) : m_db(engine) {}

private:
    test::EngineDatabases m_db;

    // A fresh database with two runs on it that joined the nodes table as node-a and node-b.
    std::pair<std::unique_ptr<Storage>, std::unique_ptr<Storage>> twoNodes(QString *error)
    {
        auto a = m_db.fresh(error);
        auto b = a ? m_db.reopen(error) : nullptr;
        if (!b)
            return {};
        if (!a->joinNodes(QStringLiteral("node-a")) || !b->joinNodes(QStringLiteral("node-b"))) {
            *error = QStringLiteral("cannot join the nodes table: ") + a->lastError() + b->lastError();
            return {};
        }
        return {std::move(a), std::move(b)};
    }

private Q_SLOTS:
    void initTestCase()
    {
        qInfo("engine: %s", qPrintable(m_db.engine()));
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
    }

    void claimsAreExclusiveAcrossConnections()
    {
        constexpr int Rows = 2000;
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const qint64 alice = *s->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        DeviceRecord phone = test::engineDevice(alice, QStringLiteral("phone"), QByteArray(32, 'p'));
        QVERIFY(s->upsertDevice(phone));
        const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-60);
        QVERIFY(s->insertNotification(test::engineNotification(QStringLiteral("n"), alice, t0)));
        QVERIFY(s->transaction([&] {
            for (int i = 0; i < Rows; ++i)
                if (!s->insertDelivery(test::engineDelivery(QStringLiteral("d%1").arg(i), QStringLiteral("n"), phone.id,
                                                t0.addMSecs(i % 7))))
                    return false;
            return true;
        }));
        const qint64 aliveSince = QDateTime::currentMSecsSinceEpoch() - 60'000;

        // Each claimer on a thread of its own, with a connection opened there (as the server's
        // background connections are). Both loop until a page comes back empty.
        struct Claimer
        {
            QString name;
            QStringList ids;
            QString claimer;
            QString error;
        };
        Claimer a{QStringLiteral("node-a"), {}, {}, {}}, b{QStringLiteral("node-b"), {}, {}, {}};
        auto claimAll = [this, aliveSince](Claimer *c) {
            QString error;
            auto storage = m_db.reopen(&error, PostgresStorage::Role::Worker);
            if (!storage || !storage->joinNodes(c->name)) {
                c->error = storage ? storage->lastError() : error;
                return;
            }
            c->claimer = storage->claimer();
            Storage::OpenDeliveryCursor cursor;
            while (true) {
                const auto page = storage->claimOpenDeliveries(&cursor, aliveSince, 25);
                if (!page) {
                    c->error = storage->lastError();
                    return;
                }
                if (page->isEmpty())
                    return;
                for (const DeliveryRecord &d : *page)
                    c->ids.append(d.id);
            }
        };
        std::unique_ptr<QThread> ta(QThread::create(claimAll, &a));
        std::unique_ptr<QThread> tb(QThread::create(claimAll, &b));
        ta->start();
        tb->start();
        QVERIFY(ta->wait(120'000));
        QVERIFY(tb->wait(120'000));
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        QVERIFY2(b.error.isEmpty(), qPrintable(b.error));

        QSet<QString> claimedByA(a.ids.cbegin(), a.ids.cend()), claimedByB(b.ids.cbegin(), b.ids.cend());
        QCOMPARE(claimedByA.size(), a.ids.size()); // no row twice to one claimer either
        QCOMPARE(claimedByB.size(), b.ids.size());
        QVERIFY2(!claimedByA.intersects(claimedByB), "a delivery was claimed by both");
        QCOMPARE(a.ids.size() + b.ids.size(), Rows);
        qInfo("claimed: %lld by node-a, %lld by node-b", qlonglong(a.ids.size()), qlonglong(b.ids.size()));

        // The table agrees with what each was told.
        QStringList counts;
        QVERIFY2(m_db.rawRows(QStringLiteral("SELECT claimed_by, count(*) FROM deliveries GROUP BY claimed_by ORDER BY 1"),
                         &counts, &error),
                 qPrintable(error));
        QStringList expectedCounts;
        for (const Claimer *c : {&a, &b})
            if (!c->ids.isEmpty())
                expectedCounts.append(QStringLiteral("%1|%2").arg(c->claimer).arg(c->ids.size()));
        expectedCounts.sort();
        QCOMPARE(counts, expectedCounts);

        if (!m_db.isPostgres())
            return;
        // PostgreSQL, held open: node-c claims a page inside a transaction and holds it; node-d,
        // claiming meanwhile, neither waits for those rows nor gets them.
        QVERIFY2(m_db.raw(QStringLiteral("UPDATE deliveries SET claimed_by = ''"), &error), qPrintable(error));
        QSemaphore held, release;
        QStringList heldIds;
        QString heldError;
        std::unique_ptr<QThread> tc(QThread::create([&] {
            QString error;
            auto storage = m_db.reopen(&error, PostgresStorage::Role::Worker);
            if (!storage) {
                heldError = error;
                held.release();
                return;
            }
            storage->transaction([&] {
                Storage::OpenDeliveryCursor cursor;
                const auto page = storage->claimOpenDeliveries(&cursor, aliveSince, 100);
                if (page)
                    for (const DeliveryRecord &d : *page)
                        heldIds.append(d.id);
                else
                    heldError = storage->lastError();
                held.release();
                release.acquire(); // the rows stay locked until node-d has claimed
                return page.has_value();
            });
        }));
        tc->start();
        held.acquire();
        QVERIFY2(heldError.isEmpty(), qPrintable(heldError));
        QCOMPARE(heldIds.size(), 100);
        auto d = m_db.reopen(&error, PostgresStorage::Role::Worker);
        QVERIFY2(d, qPrintable(error));
        Storage::OpenDeliveryCursor cursor;
        const auto page = d->claimOpenDeliveries(&cursor, aliveSince, 100); // returns while node-c holds its rows
        release.release();
        QVERIFY(tc->wait(60'000));
        QVERIFY(page);
        QCOMPARE(page->size(), 100);
        for (const DeliveryRecord &row : *page)
            QVERIFY2(!heldIds.contains(row.id), qPrintable(row.id));
    }

    void backgroundWritesRunOffTheEventLoop()
    {
        // The server's write mode: writeInBackground() work runs on another connection on a thread of
        // its own, in batches; each `done` comes back on the event loop in submission order, a failing
        // job is undone alone, and whenDurable() waits for everything submitted before it.
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const qint64 alice = *s->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        DeviceRecord phone = test::engineDevice(alice, QStringLiteral("phone"), QByteArray(32, 'p'));
        QVERIFY(s->upsertDevice(phone));
        s->setGroupCommit(true);

        QThread *const loop = QThread::currentThread();
        std::atomic<int> onLoop{0}; // a batch with a failing job runs again, so jobs may run twice
        QList<int> done;
        const QDateTime at = QDateTime::currentDateTimeUtc();
        const int jobs = 40;
        for (int i = 0; i < jobs; ++i) {
            const QString id = QStringLiteral("n%1").arg(i);
            s->writeInBackground(
                [=, &onLoop](Storage &w) {
                    if (QThread::currentThread() == loop)
                        ++onLoop;
                    const bool written = w.insertNotification(test::engineNotification(id, alice, at));
                    if (i == 7)
                        return false; // wrote, then gave up: undone, and only it
                    if (i == 11)      // a constraint breaks in the middle of the batch
                        return written && w.insertDelivery(test::engineDelivery(QStringLiteral("d0"), id, phone.id, at));
                    return written && w.insertDelivery(test::engineDelivery(QStringLiteral("d") + QString::number(i), id, phone.id, at));
                },
                [&done, i](bool ok) { done << (ok ? i : -i); });
        }
        bool durable = false;
        bool sawLast = false;
        s->whenDurable([&](bool ok) {
            durable = ok;
            sawLast = s->deliveryById(QStringLiteral("d%1").arg(jobs - 1)).has_value();
        });
        QTRY_VERIFY_WITH_TIMEOUT(durable, 20000);
        QVERIFY(sawLast);
        QCOMPARE(done.size(), jobs);
        for (int i = 0; i < jobs; ++i)
            QCOMPARE(done.at(i), (i == 7 || i == 11) ? -i : i);
        QCOMPARE(onLoop.load(), 0);
        QVERIFY(!s->notificationById(QStringLiteral("n7")));
        QVERIFY(!s->notificationById(QStringLiteral("n11")));
        QVERIFY(s->notificationById(QStringLiteral("n12")));
        QCOMPARE(*s->openDeliveryCount(), qint64(jobs - 2));

        if (m_db.isPostgres()) {
            // The writer's connection is replaced when PostgreSQL restarts under it while idle.
            QVERIFY2(m_db.server()->restart(&error), qPrintable(error));
            bool ok = false, returned = false;
            s->writeInBackground([&](Storage &w) { return w.insertNotification(test::engineNotification(QStringLiteral("late"), alice, at)); },
                                 [&](bool written) {
                                     ok = written;
                                     returned = true;
                                 });
            QTRY_VERIFY_WITH_TIMEOUT(returned, 20000);
            QVERIFY(ok);
        }
        // Off again: the writer drains, and background writes run inline.
        s->setGroupCommit(false);
        bool inline_ = false;
        s->writeInBackground([&](Storage &) { return QThread::currentThread() == loop; }, [&](bool ok) { inline_ = ok; });
        QVERIFY(inline_);
    }

    void backgroundReadsRunOffTheEventLoop()
    {
        // The server's write mode also starts reading connections: readInBackground() work runs on
        // them, side by side, and each `done` comes back on the event loop. A read sees what is
        // committed; after setGroupCommit(false) reads run inline again.
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const qint64 alice = *s->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        DeviceRecord phone = test::engineDevice(alice, QStringLiteral("phone"), QByteArray(32, 'p'));
        QVERIFY(s->upsertDevice(phone));
        static_cast<SqlStorage &>(*s).setReadingConnections(3); // [database] reading_connections
        s->setGroupCommit(true);
        if (m_db.isPostgres()) {
            // This connection, the background writer's and the three readers'.
            QString sessions;
            QVERIFY2(m_db.server()->psql(m_db.current(),
                                      QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = '%1'").arg(m_db.current()),
                                      &error, &sessions),
                     qPrintable(error));
            QCOMPARE(sessions.trimmed().toInt(), 1 + 1 + 3 + 1); // and psql's own
        }

        QThread *const loop = QThread::currentThread();
        std::atomic<int> onLoop{0};
        std::mutex threadsLock;
        QSet<QThread *> threads;
        const int reads = 40;
        auto found = std::make_shared<std::vector<std::optional<DeviceRecord>>>(reads); // one slot per thread's write
        int done = 0;
        bool doneOnLoop = true;
        for (int i = 0; i < reads; ++i) {
            s->readInBackground(
                [=, &onLoop, &threadsLock, &threads](Storage &r) {
                    if (QThread::currentThread() == loop)
                        ++onLoop;
                    {
                        std::lock_guard lock(threadsLock);
                        threads.insert(QThread::currentThread());
                    }
                    // Every other read asks for a token nobody has.
                    (*found)[i] = r.deviceByTokenHash(QByteArray(32, i % 2 ? 'x' : 'p'));
                },
                [&] {
                    doneOnLoop = doneOnLoop && QThread::currentThread() == loop;
                    ++done;
                });
        }
        QTRY_COMPARE_WITH_TIMEOUT(done, reads, 20000);
        QVERIFY(doneOnLoop);
        QCOMPARE(onLoop.load(), 0);
        QVERIFY(!threads.isEmpty());
        for (int i = 0; i < reads; ++i) {
            QCOMPARE(found->at(i).has_value(), i % 2 == 0);
            if (i % 2 == 0)
                QCOMPARE(found->at(i)->deviceId, QStringLiteral("phone"));
        }

        // What the event loop's connection committed is what a read sees next.
        DeviceRecord tablet = test::engineDevice(alice, QStringLiteral("tablet"), QByteArray(32, 't'));
        QVERIFY(s->upsertDevice(tablet));
        bool durable = false;
        s->whenDurable([&](bool ok) { durable = ok; });
        QTRY_VERIFY_WITH_TIMEOUT(durable, 20000);
        std::optional<DeviceRecord> seen;
        bool returned = false;
        s->readInBackground([&seen](Storage &r) { seen = r.deviceByTokenHash(QByteArray(32, 't')); },
                            [&returned] { returned = true; });
        QTRY_VERIFY_WITH_TIMEOUT(returned, 20000);
        QVERIFY(seen);
        QCOMPARE(seen->deviceId, QStringLiteral("tablet"));

        if (m_db.isPostgres()) {
            // A reading connection is replaced when PostgreSQL restarts under it while idle.
            QVERIFY2(m_db.server()->restart(&error), qPrintable(error));
            for (int round = 0; round < 3; ++round) { // both connections, whichever takes which
                seen.reset();
                returned = false;
                s->readInBackground([&seen](Storage &r) { seen = r.deviceByTokenHash(QByteArray(32, 'p')); },
                                    [&returned] { returned = true; });
                QTRY_VERIFY_WITH_TIMEOUT(returned, 20000);
                QVERIFY(seen);
            }
        }

        // Reads still queued when group commit ends are run, and their `done`s delivered.
        int drained = 0;
        for (int i = 0; i < 10; ++i)
            s->readInBackground([](Storage &r) { r.accountByName(QStringLiteral("alice")); }, [&drained] { ++drained; });
        s->setGroupCommit(false);
        QCOMPARE(drained, 10);
        bool inline_ = false;
        s->readInBackground([&](Storage &) { inline_ = QThread::currentThread() == loop; }, [] {});
        QVERIFY(inline_);
    }

    void eventTargetsSeeOtherConnections()
    {
        QString error;
        auto a = m_db.fresh(&error);
        QVERIFY2(a, qPrintable(error));
        auto b = m_db.reopen(&error); // another process or node on the same database
        QVERIFY2(b, qPrintable(error));
        const qint64 alice = *a->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        auto t = a->eventTargets(QStringLiteral("alice"), QStringLiteral("mail"));
        QVERIFY(t);
        QVERIFY(t->devices.isEmpty());
        QVERIFY(!t->loggedIn);
        QVERIFY(!a->eventTargets(QStringLiteral("nobody"), QStringLiteral("mail")));
        const qint64 targetsBefore = *a->targetChangeCount();

        DeviceRecord phone = test::engineDevice(alice, QStringLiteral("phone"), QByteArray(32, 'p'));
        QVERIFY(b->upsertDevice(phone));
        QVERIFY(b->upsertLogin(alice, QStringLiteral("mail"), QByteArray("c")));
        QVERIFY(*a->targetChangeCount() > targetsBefore);
        // The change arrives asynchronously on PostgreSQL (NOTIFY), at once on SQLite (the counter).
        QTRY_VERIFY_WITH_TIMEOUT(a->eventTargets(QStringLiteral("alice"), QStringLiteral("mail"))->devices.size() == 1, 10000);
        t = a->eventTargets(QStringLiteral("alice"), QStringLiteral("mail"));
        QVERIFY(t->loggedIn);
        QCOMPARE(t->devices.at(0).deviceId, QStringLiteral("phone"));
        QCOMPARE(t->devices.at(0).apps, QStringList{QStringLiteral("mail")});

        // A revoked source stops authenticating on the other connection too.
        const auto src = b->createSource(QStringLiteral("crm"), QByteArray(32, 's'), QStringLiteral("events"));
        QVERIFY(a->sourceByTokenHash(QByteArray(32, 's')));
        QVERIFY(b->revokeSource(*src, QDateTime::currentDateTimeUtc()));
        QTRY_VERIFY_WITH_TIMEOUT(!a->sourceByTokenHash(QByteArray(32, 's')), 10000);

        QVERIFY(b->setAccountDisabled(alice, true));
        QTRY_VERIFY_WITH_TIMEOUT(a->eventTargets(QStringLiteral("alice"), QStringLiteral("mail"))->account.disabled, 10000);
    }

    void lastSeenAloneKeepsWhatOthersRemember()
    {
        // The server writes last_seen for every connected device (schema 14): that alone must not
        // move the change counter (nor, on PostgreSQL, send a NOTIFY), or every connected device
        // would keep every node's event targets cold. Any other change to a device still counts.
        QString error;
        auto a = m_db.fresh(&error);
        QVERIFY2(a, qPrintable(error));
        auto b = m_db.reopen(&error, PostgresStorage::Role::Worker); // the background writer's kind
        QVERIFY2(b, qPrintable(error));
        const qint64 alice = *a->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        DeviceRecord phone = test::engineDevice(alice, QStringLiteral("phone"), QByteArray(32, 'p'));
        QVERIFY(b->upsertDevice(phone));
        phone = *b->deviceByDeviceId(QStringLiteral("phone"));
        const qint64 before = *a->targetChangeCount();

        for (int i = 1; i <= 5; ++i)
            QVERIFY(b->touchDevice(phone.id, QDateTime::currentDateTimeUtc().addSecs(i)));
        QCOMPARE(*a->targetChangeCount(), before);
        // A sweep's many devices in one statement count no more than one device does.
        QVERIFY(b->touchDevices({{phone.id, QDateTime::currentDateTimeUtc().addSecs(9)}, {phone.id + 1000, {}}}));
        QCOMPARE(*a->targetChangeCount(), before);

        QVERIFY(b->setPushTokenState(phone.id, phone.pushToken, PushTokenState::Retired, QStringLiteral("Unregistered")));
        QVERIFY(*a->targetChangeCount() > before);
        const qint64 afterRetire = *a->targetChangeCount();
        phone.pushToken = QStringLiteral("new-token");
        QVERIFY(b->upsertDevice(phone)); // registered again: a new token
        QVERIFY(*a->targetChangeCount() > afterRetire);
    }

    void sourceTokensOutliveRegistrations()
    {
        // On PostgreSQL sources notify on a channel of their own (schema 16): a registration or
        // a login elsewhere leaves the source tokens a node keeps alone, a source change does not.
        if (!m_db.isPostgres())
            QSKIP("SQLite keeps one change counter for both (a read there is local)");
        QString error;
        auto a = m_db.fresh(&error);
        QVERIFY2(a, qPrintable(error));
        auto b = m_db.reopen(&error);
        QVERIFY2(b, qPrintable(error));
        const qint64 alice = *a->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        const auto crm = b->createSource(QStringLiteral("crm"), QByteArray(32, 's'), QStringLiteral("events"));
        QVERIFY(crm);
        // A node that starts listening after that: no NOTIFY of the source's creation can reach it
        // late and drop what it keeps (one that did made this test fail now and then).
        a = m_db.reopen(&error);
        QVERIFY2(a, qPrintable(error));
        QVERIFY(a->sourceByTokenHash(QByteArray(32, 's'))); // read, and kept
        // The row goes without a word (its trigger off), so only a's memory still knows it.
        QVERIFY2(m_db.raw(QStringLiteral("ALTER TABLE sources DISABLE TRIGGER sources_counted; "
                                         "DELETE FROM sources WHERE name = 'crm'; "
                                         "ALTER TABLE sources ENABLE TRIGGER sources_counted"),
                          &error),
                 qPrintable(error));
        // A registration on another node: a's targets go, its sources stay.
        DeviceRecord phone = test::engineDevice(alice, QStringLiteral("phone"), QByteArray(32, 'p'));
        QVERIFY(b->upsertDevice(phone));
        QTRY_VERIFY_WITH_TIMEOUT(a->eventTargets(QStringLiteral("alice"), QStringLiteral("mail"))->devices.size() == 1, 10000);
        QVERIFY(a->sourceByTokenHash(QByteArray(32, 's')));
        // A change to sources reaches it.
        QVERIFY(b->createSource(QStringLiteral("other"), QByteArray(32, 'o'), QStringLiteral("events")));
        QTRY_VERIFY_WITH_TIMEOUT(!a->sourceByTokenHash(QByteArray(32, 's')), 10000);
    }

    void liveSessionsAndHandOvers()
    {
        // Two nodes' runs on one database (issue 19): one holds a device's session, the other
        // finds it there and hands it a delivery; PostgreSQL tells the holder with a NOTIFY.
        QString error;
        auto [a, b] = twoNodes(&error);
        QVERIFY2(a && b, qPrintable(error));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(a->liveNodes(now - 60'000)->size(), 2);
        QCOMPARE(a->liveNodes(now + 60'000)->size(), 0); // no heartbeat that new

        const qint64 alice = *a->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        DeviceRecord device = test::engineDevice(alice, QStringLiteral("phone"), QByteArray(32, 'p'));
        QVERIFY(a->upsertDevice(device));
        const qint64 phone = a->deviceByDeviceId(QStringLiteral("phone"))->id;
        QCOMPARE(*a->sessionHolder(phone, QStringLiteral("mail"), now - 60'000), QString());
        QVERIFY(b->setLiveSession(phone, QStringLiteral("mail")));
        QCOMPARE(*a->sessionHolder(phone, QStringLiteral("mail"), now - 60'000), b->claimer());
        QCOMPARE(*a->sessionHolder(phone, QStringLiteral("im"), now - 60'000), QString()); // another app on screen
        QCOMPARE(*b->sessionHolder(phone, QStringLiteral("mail"), now - 60'000), QString()); // its own does not count
        QCOMPARE(*a->sessionHolder(phone, QStringLiteral("mail"), now + 60'000), QString()); // a stale holder neither
        QVERIFY(b->setLiveSession(phone, QString())); // the app left the screen
        QCOMPARE(*a->sessionHolder(phone, QStringLiteral("mail"), now - 60'000), QString());
        QVERIFY(b->setLiveSession(phone, QStringLiteral("mail")));
        // What the console's device list reads: the sessions other live runs hold, all of them or
        // only those of a page of devices (a JSON list of ids on both engines).
        const auto all = a->sessionsElsewhere(now - 60'000);
        QVERIFY(all && all->size() == 1);
        QCOMPARE(all->first().deviceId, phone);
        QCOMPARE(all->first().foregroundApp, QStringLiteral("mail"));
        const QList<qint64> page{phone, phone + 1000}, otherPage{phone + 1000}, none;
        QCOMPARE(a->sessionsElsewhere(now - 60'000, &page)->size(), 1);
        QCOMPARE(a->sessionsElsewhere(now - 60'000, &otherPage)->size(), 0);
        QCOMPARE(a->sessionsElsewhere(now - 60'000, &none)->size(), 0);
        QCOMPARE(b->sessionsElsewhere(now - 60'000, &page)->size(), 0); // its own do not count
        QCOMPARE(a->sessionsElsewhere(now + 60'000, &page)->size(), 0); // nor a stale holder's

        QStringList handedToB;
        b->setHandOverReceiver([&](const QString &id) { handedToB.append(id); });
        const QDateTime t0 = QDateTime::currentDateTimeUtc();
        QVERIFY(a->insertNotification(test::engineNotification(QStringLiteral("n"), alice, t0)));
        QVERIFY(a->insertDelivery(test::engineDelivery(QStringLiteral("d1"), QStringLiteral("n"), phone, t0)));
        QCOMPARE(*a->handOverDelivery(QStringLiteral("d1"), b->claimer()), true);
        QCOMPARE(*a->handOverDelivery(QStringLiteral("d1"), b->claimer()), false); // b's now, not a's to give
        QStringList owner;
        QVERIFY2(m_db.rawRows(QStringLiteral("SELECT claimed_by FROM deliveries WHERE id = 'd1'"), &owner, &error),
                 qPrintable(error));
        QCOMPARE(owner, QStringList{b->claimer()});
        if (m_db.isPostgres())
            QTRY_COMPARE_WITH_TIMEOUT(handedToB, QStringList{QStringLiteral("d1")}, 10'000);
        // Pending and untouched since: b's heartbeat would find it had the NOTIFY been lost.
        const qint64 later = QDateTime::currentMSecsSinceEpoch() + 60'000;
        QCOMPARE(*b->strandedDeliveries(later, 10), QStringList{QStringLiteral("d1")});
        QCOMPARE(*a->strandedDeliveries(later, 10), QStringList()); // not a's any more
        QCOMPARE(*b->strandedDeliveries(now - 60'000, 10), QStringList()); // written after that
        // A delivery no longer pending is not handed over.
        DeliveryRecord done = test::engineDelivery(QStringLiteral("d2"), QStringLiteral("n"), phone, t0);
        done.state = DeliveryState::Delivered;
        QVERIFY(a->insertDelivery(done));
        QCOMPARE(*a->handOverDelivery(QStringLiteral("d2"), b->claimer()), false);
        b->setHandOverReceiver({});

        // b stops cleanly: it leaves the nodes table with its sessions.
        QVERIFY(b->leaveNodes());
        QCOMPARE(*a->sessionHolder(phone, QStringLiteral("mail"), now - 60'000), QString());
        QCOMPARE(a->liveNodes(now - 60'000)->size(), 1);
        QVERIFY2(m_db.rawRows(QStringLiteral("SELECT count(*) FROM live_sessions"), &owner, &error), qPrintable(error));
        QCOMPARE(owner, QStringList{QStringLiteral("0")});
    }

    void monitorLeases()
    {
        // Each login is watched by one run (issue 19): the run that stores it holds it; another
        // takes it only when it is free (its run left, or stopped beating), and only a holder
        // moves its checkpoint or state. Leases say nothing about targets: cached ones stay.
        QString error;
        auto [a, b] = twoNodes(&error);
        QVERIFY2(a && b, qPrintable(error));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 alice = *a->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        const qint64 bob = *a->createAccount(QStringLiteral("bob"), QStringLiteral("h"));
        QVERIFY(a->upsertLogin(alice, QStringLiteral("mail"), QByteArray("sealed")));
        QVERIFY(a->upsertLogin(bob, QStringLiteral("mail"), {}));
        QVERIFY(b->upsertLogin(alice, QStringLiteral("im"), {}));
        auto share = [](Storage &s) {
            const auto counts = s.loginShare();
            return counts ? QStringLiteral("%1/%2").arg(counts->mine).arg(counts->total) : s.lastError();
        };
        QCOMPARE(share(*a), QStringLiteral("2/3"));
        QCOMPARE(share(*b), QStringLiteral("1/3"));
        QCOMPARE(b->claimLogins(now - 60'000, 10)->size(), 0); // a is alive: nothing is free

        // A checkpoint or a state from a run that does not hold the login is not written.
        QVERIFY(a->setLoginCheckpoint(alice, QStringLiteral("mail"), QByteArray("cp-a")));
        QVERIFY(b->setLoginCheckpoint(alice, QStringLiteral("mail"), QByteArray("cp-b")));
        QVERIFY(b->setLoginMonitorState(alice, QStringLiteral("mail"), QStringLiteral("watching"), {}));
        auto login = [&](Storage &s, qint64 account, const QString &app) {
            for (const LoginRecord &l : s.loginsOfAccount(account).value_or(QList<LoginRecord>()))
                if (l.app == app)
                    return l;
            return LoginRecord();
        };
        QCOMPARE(login(*a, alice, QStringLiteral("mail")).checkpoint, QByteArray("cp-a"));
        QCOMPARE(login(*a, alice, QStringLiteral("mail")).monitorState, QString());
        QCOMPARE(login(*a, alice, QStringLiteral("mail")).monitorClaimer, a->claimer());

        // b sees a stop beating (its heartbeat is older than b's limit): b takes a's logins whole.
        auto claimed = b->claimLogins(now + 60'000, 1);
        QVERIFY2(claimed, qPrintable(b->lastError()));
        QCOMPARE(claimed->size(), 1); // at most the limit
        QCOMPARE(claimed->first().accountId, alice);
        QCOMPARE(claimed->first().credentials, QByteArray("sealed"));
        QCOMPARE(claimed->first().checkpoint, QByteArray("cp-a"));
        QCOMPARE(claimed->first().monitorClaimer, b->claimer());
        QVERIFY(a->setLoginCheckpoint(alice, QStringLiteral("mail"), QByteArray("cp-stale")));
        QCOMPARE(login(*a, alice, QStringLiteral("mail")).checkpoint, QByteArray("cp-a"));

        // Giving one back frees it at once; a clean stop frees every login of the run.
        QVERIFY(b->releaseLogin(alice, QStringLiteral("mail")));
        QCOMPARE(share(*b), QStringLiteral("1/3"));
        QCOMPARE(a->claimLogins(now - 60'000, 10)->size(), 1);
        QVERIFY(b->leaveNodes());
        const auto freed = a->claimLogins(now - 60'000, 10);
        QCOMPARE(freed->size(), 1);
        QCOMPARE(freed->first().app, QStringLiteral("im"));
        QCOMPARE(share(*a), QStringLiteral("3/3"));
        const auto keys = a->claimedLogins();
        QCOMPARE(keys->size(), 3);
        QCOMPARE(keys->first().accountId, alice);
        QCOMPARE(keys->first().app, QStringLiteral("im")); // by account, then app

        // Logging in again elsewhere moves the lease to that run.
        auto c = m_db.reopen(&error);
        QVERIFY2(c, qPrintable(error));
        QVERIFY(c->joinNodes(QStringLiteral("node-c")));
        QVERIFY(c->upsertLogin(bob, QStringLiteral("mail"), {}));
        QCOMPARE(share(*a), QStringLiteral("2/3"));
        QCOMPARE(share(*c), QStringLiteral("1/3"));

        // None of this moved the counter that drops cached event targets; a new login does.
        const qint64 before = *a->targetChangeCount();
        QVERIFY(a->releaseLogin(alice, QStringLiteral("im")));
        QCOMPARE(a->claimLogins(now - 60'000, 10)->size(), 1);
        QVERIFY(a->setLoginCheckpoint(alice, QStringLiteral("im"), QByteArray("cp")));
        QVERIFY(a->setLoginMonitorState(alice, QStringLiteral("im"), QStringLiteral("watching"), {}));
        QCOMPARE(*a->targetChangeCount(), before);
        QVERIFY(a->upsertLogin(bob, QStringLiteral("im"), {}));
        QVERIFY(*a->targetChangeCount() > before);
    }
};

int main(int argc, char *argv[])
{
    return test::runOnEngine<tst_StorageChanges>(argc, argv);
}

#include "tst_storagechanges.moc"
