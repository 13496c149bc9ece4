// Storage's contract, run against each engine: `tst_storageengines sqlite` on a temporary file,
// `tst_storageengines postgresql` on a PostgreSQL started for the test (initdb/pg_ctl on loopback,
// a new database per test function). The same calls must give the same answers on both: rows and
// their types, ordering, paging, uniqueness and rollbacks. Where connections meet (claims, background
// work, changes seen by another connection): tst_storagechanges.
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

class tst_StorageEngines : public QObject
{
    Q_OBJECT

public:
    explicit tst_StorageEngines(const QString &engine) : m_db(engine) {}

private:
    test::EngineDatabases m_db;

private Q_SLOTS:
    void initTestCase()
    {
        qInfo("engine: %s", qPrintable(m_db.engine()));
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
    }

    void setsUpTheSchemaAndReopens()
    {
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->schemaVersion(), SqlResources(m_db.engine()).schemaVersion());
        QVERIFY(s->schemaVersion() >= 11);
        QVERIFY(s->createAccount(QStringLiteral("kept"), QStringLiteral("h")));
        s->close();
        auto again = m_db.reopen(&error);
        QVERIFY2(again, qPrintable(error));
        QVERIFY(again->accountByName(QStringLiteral("kept")));
        QCOMPARE(again->schemaVersion(), SqlResources(m_db.engine()).schemaVersion());
    }

    void refusesANewerOrForeignDatabase()
    {
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        s->close();
        QVERIFY2(m_db.raw(QStringLiteral("UPDATE schema_version SET version = 999"), &error), qPrintable(error));
        QVERIFY(!m_db.reopen(&error));
        QVERIFY2(error.contains(QLatin1String("newer than this herald-server knows")), qPrintable(error));

        QVERIFY2(m_db.empty(&error), qPrintable(error)); // for a database with someone else's tables
        QVERIFY2(m_db.raw(QStringLiteral("CREATE TABLE payroll (id INTEGER)"), &error), qPrintable(error));
        error.clear();
        QVERIFY(!m_db.reopen(&error));
        QVERIFY2(error.contains(QLatin1String("not a Herald database")), qPrintable(error));
    }

    void accountsAndOperators()
    {
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const auto id = s->createAccount(QStringLiteral("dave"), QStringLiteral("hash1"));
        QVERIFY(id && *id > 0);
        QVERIFY(!s->createAccount(QStringLiteral("dave"), QStringLiteral("again"))); // unique
        QVERIFY(!s->lastError().isEmpty());
        // Errors are logged: they name the constraint, never the row's values.
        QVERIFY2(!s->lastError().contains(QLatin1String("dave")), qPrintable(s->lastError()));
        QVERIFY(s->setAccountPassword(*id, QStringLiteral("hash2")));
        QCOMPARE(s->accountById(*id)->passwordHash, QStringLiteral("hash2"));
        QVERIFY(s->setAccountDisabled(*id, true));
        QVERIFY(s->accountByName(QStringLiteral("dave"))->disabled);
        QCOMPARE(*s->disabledAccountIds(), QSet<qint64>{*id});
        QVERIFY(!s->setAccountDisabled(424242, true));
        QVERIFY(s->createAccount(QStringLiteral("carol"), QStringLiteral("h")));
        const auto all = s->accounts();
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(0).name, QStringLiteral("carol")); // by name
        QVERIFY(all->at(0).createdAt.isValid());

        QCOMPARE(*s->operatorCount(), 0);
        const auto op = s->createOperator(QStringLiteral("root"), QStringLiteral("ph"), QStringLiteral("admin"));
        QVERIFY(op);
        QVERIFY(!s->createOperator(QStringLiteral("x"), QStringLiteral("ph"), QStringLiteral("god"))); // CHECK
        QVERIFY(s->setOperatorRole(*op, QStringLiteral("helpdesk")));
        QVERIFY(s->setOperatorDisabled(*op, true));
        QVERIFY(s->setOperatorPassword(*op, QStringLiteral("ph2")));
        const auto o = s->operatorByName(QStringLiteral("root"));
        QCOMPARE(o->role, QStringLiteral("helpdesk"));
        QVERIFY(o->disabled);
        QCOMPARE(o->passwordHash, QStringLiteral("ph2"));
        QCOMPARE(*s->operatorCount(), 1);
        QCOMPARE(s->operators()->size(), 1);
    }

    void consoleSessions()
    {
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const auto ann = s->createOperator(QStringLiteral("ann"), QStringLiteral("h"), QStringLiteral("admin"));
        const auto bo = s->createOperator(QStringLiteral("bo"), QStringLiteral("h"), QStringLiteral("helpdesk"));
        QVERIFY(ann && bo);
        const QDateTime later = QDateTime::currentDateTimeUtc().addSecs(3600);
        // Hashes are bytes, any of them (a NUL, high bytes), as SHA-256 gives them.
        const QByteArray a = QByteArray::fromHex("00ff10") + QByteArray(29, '\x80');
        const QByteArray b = QByteArray(32, 'b');
        QVERIFY(s->insertConsoleSession(a, *ann, later, 100));
        QVERIFY(s->insertConsoleSession(b, *bo, later.addSecs(60), 100));
        auto found = s->consoleSession(a);
        QVERIFY(found && *found);
        QCOMPARE((*found)->operatorName, QStringLiteral("ann"));
        QCOMPARE((*found)->role, QStringLiteral("admin"));
        QCOMPARE((*found)->expiresAt.toMSecsSinceEpoch(), later.toMSecsSinceEpoch());
        QVERIFY(!(*found)->disabled);
        // The operator as it is now, not as it was at the login.
        QVERIFY(s->setOperatorRole(*ann, QStringLiteral("helpdesk")) && s->setOperatorDisabled(*ann, true));
        found = s->consoleSession(a);
        QVERIFY(found && *found && (*found)->disabled);
        QCOMPARE((*found)->role, QStringLiteral("helpdesk"));
        const auto none = s->consoleSession(QByteArray(32, 'z'));
        QVERIFY(none && !*none); // read fine, no such session
        QCOMPARE(*s->consoleSessionHashes(), (QSet<QByteArray>{a, b}));

        // Expired rows are neither found nor listed, and go at the next login.
        const QByteArray old = QByteArray(32, 'o');
        QVERIFY(s->insertConsoleSession(old, *bo, QDateTime::currentDateTimeUtc().addSecs(-1), 100));
        QVERIFY(!*s->consoleSession(old));
        QVERIFY(!s->consoleSessionHashes()->contains(old));

        // At most `keep` rows: those closest to their end make room.
        for (int i = 0; i < 5; ++i)
            QVERIFY(s->insertConsoleSession(QByteArray(32, char('0' + i)), *bo, later.addSecs(120 + i), 3));
        QCOMPARE(*s->consoleSessionHashes(),
                 (QSet<QByteArray>{QByteArray(32, '2'), QByteArray(32, '3'), QByteArray(32, '4')}));
        // The same hash twice is refused (tokens are random; this would be a bug).
        QVERIFY(!s->insertConsoleSession(QByteArray(32, '4'), *ann, later, 100));

        QVERIFY(s->deleteConsoleSession(QByteArray(32, '4')));
        QVERIFY(s->deleteConsoleSession(QByteArray(32, '4'))); // gone already: no error
        QVERIFY(s->deleteConsoleSessionsOf(*bo));
        QVERIFY(s->consoleSessionHashes()->isEmpty());
    }

    void auditLogFiltersAndPages()
    {
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
        for (int i = 0; i < 10; ++i) {
            QVERIFY(s->appendAudit({0, t0.addSecs(i), i % 2 ? QStringLiteral("ann") : QStringLiteral("bo"),
                                    i % 3 ? QStringLiteral("user.create") : QStringLiteral("login"),
                                    QStringLiteral("t%1").arg(i), QStringLiteral("127.0.0.1"), QStringLiteral("ok")}));
        }
        const auto newest = s->auditEntries(3);
        QCOMPARE(newest->size(), 3);
        QCOMPARE(newest->at(0).target, QStringLiteral("t9"));
        int total = 0;
        AuditFilter f;
        f.operatorName = QStringLiteral("ann");
        auto page = s->auditEntries(f, 0, 2, &total);
        QCOMPARE(total, 5);
        QCOMPARE(page->size(), 2);
        QCOMPARE(page->at(0).target, QStringLiteral("t9"));
        page = s->auditEntries(f, 4, 2, &total);
        QCOMPARE(page->size(), 1);
        QCOMPARE(page->at(0).target, QStringLiteral("t1"));
        AuditFilter window;
        window.since = t0.addSecs(2);
        window.until = t0.addSecs(4);
        window.action = QStringLiteral("user.create");
        page = s->auditEntries(window, 0, 100, &total);
        QCOMPARE(total, 2); // t2 and t4 (t3 is a login)
        QCOMPARE(page->at(0).at, t0.addSecs(4));
        page = s->auditEntries(AuditFilter{}, 0, -1, &total); // a negative limit: all of them
        QCOMPARE(total, 10);
        QCOMPARE(page->size(), 10);
    }

    void devicesLoginsAndHostileText()
    {
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const qint64 alice = *s->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        const qint64 bob = *s->createAccount(QStringLiteral("bob"), QStringLiteral("h"));

        DeviceRecord d = test::engineDevice(alice, QStringLiteral("p1"), QByteArray(32, '\0'), {QStringLiteral("mail"), QStringLiteral("im")});
        d.name = QStringLiteral("O'Brien's \"phone\" :name $1 -- ; DROP TABLE devices; 你好 🎉");
        d.locale = QStringLiteral("zh-Hant-TW");
        d.pushKeyP256dh = QByteArray::fromHex("04") + QByteArray(64, '\xff');
        d.pushKeyAuth = QByteArray("\x00\x01\x02\\x'\"", 8);
        QVERIFY2(s->upsertDevice(d), qPrintable(s->lastError()));
        QVERIFY(d.id > 0);
        auto back = s->deviceByTokenHash(QByteArray(32, '\0'));
        QVERIFY(back);
        QCOMPARE(back->name, d.name);
        QCOMPARE(back->pushKeyP256dh, d.pushKeyP256dh);
        QCOMPARE(back->pushKeyAuth, d.pushKeyAuth);
        QCOMPARE(back->apps, QStringList({QStringLiteral("im"), QStringLiteral("mail")}));
        QCOMPARE(back->pushTokenState, PushTokenState::Active);
        QVERIFY(!back->pushTokenRetiredAt.isValid());

        // Same device id: same row, new token hash; the old one no longer resolves.
        DeviceRecord again = test::engineDevice(alice, QStringLiteral("p1"), QByteArray(32, 'b'));
        QVERIFY(s->upsertDevice(again));
        QCOMPARE(again.id, d.id);
        QVERIFY(!s->deviceByTokenHash(QByteArray(32, '\0')));
        QVERIFY(!s->deviceByTokenHash(QByteArray(32, 'b'))->hasPushKey());
        // A token hash belongs to one device only; the failed upsert leaves nothing behind.
        DeviceRecord clash = test::engineDevice(bob, QStringLiteral("p2"), QByteArray(32, 'b'));
        QVERIFY(!s->upsertDevice(clash));
        QVERIFY(!s->deviceByDeviceId(QStringLiteral("p2")));
        // And the connection is still good for the next call.
        DeviceRecord bobs = test::engineDevice(bob, QStringLiteral("p2"), QByteArray(32, 'c'));
        bobs.platform = QStringLiteral("ios");
        QVERIFY2(s->upsertDevice(bobs), qPrintable(s->lastError()));

        QCOMPARE(s->deviceCountsByAccount()->value(alice), 1);
        QCOMPARE(s->deviceCountsByPlatform()->value(QStringLiteral("ios")), 1);
        QCOMPARE(s->devicesOfAccount(bob)->size(), 1);
        QCOMPARE(s->deviceById(bobs.id)->deviceId, QStringLiteral("p2"));

        // A verdict on a token the device has replaced changes nothing; on the current one it retires it.
        QVERIFY(s->setPushTokenState(bobs.id, QStringLiteral("old-token"), PushTokenState::Retired, QStringLiteral("410")));
        QCOMPARE(s->deviceById(bobs.id)->pushTokenState, PushTokenState::Active);
        QVERIFY(s->setPushTokenState(bobs.id, bobs.pushToken, PushTokenState::Retired, QStringLiteral("Unregistered")));
        const auto retired = s->deviceById(bobs.id);
        QCOMPARE(retired->pushTokenState, PushTokenState::Retired);
        QCOMPARE(retired->pushTokenRetiredReason, QStringLiteral("Unregistered"));
        QVERIFY(retired->pushTokenRetiredAt.isValid());

        QVERIFY(s->upsertLogin(alice, QStringLiteral("mail"), QByteArray("secret\0with nul", 15)));
        QVERIFY(s->upsertLogin(alice, QStringLiteral("mail"), QByteArray("newer")));
        QVERIFY(s->upsertLogin(alice, QStringLiteral("im"), QByteArray()));
        QVERIFY(s->setLoginCheckpoint(alice, QStringLiteral("mail"), QByteArray("17.42")));
        QVERIFY(s->setLoginMonitorState(alice, QStringLiteral("mail"), QStringLiteral("failed"), QStringLiteral("auth")));
        const auto logins = s->loginsOfAccount(alice);
        QCOMPARE(logins->size(), 2);
        QCOMPARE(logins->at(0).app, QStringLiteral("im"));
        QVERIFY(logins->at(0).credentials.isEmpty());
        QCOMPARE(logins->at(1).credentials, QByteArray("newer"));
        QCOMPARE(logins->at(1).checkpoint, QByteArray("17.42"));
        QCOMPARE(logins->at(1).monitorState, QStringLiteral("failed"));
        QVERIFY(logins->at(1).loggedInAt.isValid());
        QCOMPARE(s->logins()->size(), 2);
        QVERIFY(s->deleteLogin(alice, QStringLiteral("im")));
        QVERIFY(s->deleteLoginsOfAccount(alice));
        QVERIFY(s->logins()->isEmpty());

        const QDateTime seen = QDateTime::fromMSecsSinceEpoch(1'700'000'123'456, Qt::UTC);
        QVERIFY(s->touchDevice(d.id, seen));
        QCOMPARE(s->deviceById(d.id)->lastSeen, seen);
        QVERIFY(s->deleteDevice(d.id));
        QVERIFY(!s->deleteDevice(d.id));
        QVERIFY(!s->deviceByDeviceId(QStringLiteral("p1")));
    }

    void touchesManyDevicesAtOnce()
    {
        // The last-seen sweep writes thousands of devices in one call: more than one statement's
        // worth here, so the chunks meet. Each device lands with its own time; a device deleted
        // meanwhile is skipped without failing the rest; an id twice keeps its latest time.
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const qint64 acct = *s->createAccount(QStringLiteral("many"), QStringLiteral("h"));
        const int n = Storage::kMaxTouchedPerStatement + 234;
        QList<qint64> ids;
        QVERIFY(s->transaction([&] {
            for (int i = 0; i < n; ++i) {
                QByteArray hash(32, '\0');
                hash.replace(0, 4, QByteArray::number(i).rightJustified(4, '0'));
                DeviceRecord d = test::engineDevice(acct, QStringLiteral("m%1").arg(i), hash, {});
                if (!s->upsertDevice(d))
                    return false;
                ids.append(d.id);
            }
            return true;
        }));
        QCOMPARE(ids.size(), n);
        QVERIFY(s->touchDevices({})); // nothing to write is not an error
        const qint64 gone = ids.at(700);
        QVERIFY(s->deleteDevice(gone));

        const QDateTime base = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
        QList<Storage::LastSeen> seen;
        for (int i = 0; i < n; ++i)
            seen.append({ids.at(i), base.addMSecs(qint64(i) * 1'001)});
        seen.append({ids.at(3), base.addSecs(-3600)}); // older, listed later: the latest still wins
        seen.append({ids.at(5), base.addSecs(86'400)}); // newer, listed later
        seen.append({qint64(1) << 62, base}); // never existed
        QVERIFY2(s->touchDevices(seen), qPrintable(s->lastError()));

        const auto rows = s->devicesOfAccount(acct);
        QVERIFY(rows);
        QCOMPARE(rows->size(), n - 1);
        QHash<qint64, QDateTime> stored;
        for (const DeviceRecord &d : *rows)
            stored.insert(d.id, d.lastSeen);
        QVERIFY(!stored.contains(gone));
        for (int i = 0; i < n; ++i) {
            if (ids.at(i) == gone)
                continue;
            const QDateTime expected = i == 5 ? base.addSecs(86'400) : base.addMSecs(qint64(i) * 1'001);
            QCOMPARE(stored.value(ids.at(i)), expected);
        }
    }

    void deviceSearch()
    {
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const qint64 zoe = *s->createAccount(QStringLiteral("zoe"), QStringLiteral("h"));
        const qint64 max = *s->createAccount(QStringLiteral("max"), QStringLiteral("h"));
        for (int i = 0; i < 5; ++i) {
            DeviceRecord d = test::engineDevice(i < 3 ? zoe : max, QStringLiteral("dev%1").arg(i), QByteArray(32, char('a' + i)),
                                    {QStringLiteral("mail"), QStringLiteral("im")});
            d.platform = i % 2 ? QStringLiteral("ios") : QStringLiteral("android");
            d.name = i == 4 ? QStringLiteral("Kitchen Tablet") : QString();
            QVERIFY(s->upsertDevice(d));
        }
        DeviceFilter all;
        QCOMPARE(*s->countDevices(all), 5);
        QCOMPARE(s->findDevices(all, 0, -1)->size(), 5);
        const auto page = s->findDevices(all, 1, 2);
        QCOMPARE(page->size(), 2);
        QCOMPARE(page->at(0).apps, QStringList({QStringLiteral("im"), QStringLiteral("mail")}));
        DeviceFilter byText;
        byText.text = QStringLiteral("kitchen");
        QCOMPARE(*s->countDevices(byText), 1);
        byText.text = QStringLiteral("zo"); // the account's name
        QCOMPARE(*s->countDevices(byText), 3);
        DeviceFilter ios;
        ios.platform = QStringLiteral("ios");
        ios.accountId = zoe;
        QCOMPARE(*s->countDevices(ios), 1);
        DeviceFilter retired;
        retired.tokenState = PushTokenState::Retired;
        QCOMPARE(*s->countDevices(retired), 0);
        DeviceFilter hostile;
        hostile.text = QStringLiteral("%' OR '1'='1");
        QCOMPARE(*s->countDevices(hostile), 0);
        QVERIFY(s->findDevices(hostile, 0, 10)->isEmpty());
    }

    void sourcesAndRevocation()
    {
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const auto id = s->createSource(QStringLiteral("crm"), QByteArray(32, 's'), QStringLiteral("events"));
        QVERIFY(id);
        QVERIFY(!s->createSource(QStringLiteral("crm"), QByteArray(32, 't'), QStringLiteral("events")));
        QCOMPARE(s->sourceByTokenHash(QByteArray(32, 's'))->name, QStringLiteral("crm"));
        QVERIFY(s->revokeSource(*id, QDateTime::currentDateTimeUtc()));
        QVERIFY(!s->sourceByTokenHash(QByteArray(32, 's'))); // the cached token goes at once
        QVERIFY(!s->revokeSource(*id, QDateTime::currentDateTimeUtc()));
        QVERIFY(s->lastError().isEmpty());
        QVERIFY(s->sourceByName(QStringLiteral("crm"))->revokedAt.isValid());
        QVERIFY(s->createSource(QStringLiteral("gw"), QByteArray(32, 'g'), QStringLiteral("presence")));
        const auto all = s->sources();
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(1).kind, QStringLiteral("presence"));
    }

    void outboxRowsAndPaging()
    {
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        const qint64 alice = *s->createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        DeviceRecord phone = test::engineDevice(alice, QStringLiteral("phone"), QByteArray(32, 'p'));
        DeviceRecord tablet = test::engineDevice(alice, QStringLiteral("tablet"), QByteArray(32, 't'));
        QVERIFY(s->upsertDevice(phone) && s->upsertDevice(tablet));
        const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-60);

        bool duplicate = true;
        NotificationRecord n1 = test::engineNotification(QStringLiteral("n1"), alice, t0);
        n1.body = QString(100 * 1024, QChar(0x4e2d)); // 100 K characters of CJK: 300 KB of UTF-8
        QVERIFY(s->insertNewNotification(n1, &duplicate));
        QVERIFY(!duplicate);
        NotificationRecord again = test::engineNotification(QStringLiteral("n1-again"), alice, t0);
        again.eventId = n1.eventId;
        QVERIFY(s->insertNewNotification(again, &duplicate));
        QVERIFY(duplicate); // same (source, event id)
        QVERIFY(s->insertNotification(test::engineNotification(QStringLiteral("n2"), alice, t0.addSecs(1))));
        QVERIFY(!s->insertNotification(test::engineNotification(QStringLiteral("n2"), alice, t0))); // same id
        QCOMPARE(s->notificationById(QStringLiteral("n1"))->body, n1.body);
        QCOMPARE(s->notificationBySourceEvent(QStringLiteral("imap"), QStringLiteral("e-n2"))->id, QStringLiteral("n2"));
        QCOMPARE(*s->unreadNotificationCount(alice), 2);
        QVERIFY(s->setNotificationState(QStringLiteral("n1"), NotificationState::Opened, t0.addSecs(5)));
        QCOMPARE(s->notificationById(QStringLiteral("n1"))->openedAt, t0.addSecs(5));
        QCOMPARE(*s->unreadNotificationCount(alice), 1);
        QCOMPARE(s->notificationsOfAccount(alice, false, 10)->size(), 2);
        QCOMPARE(s->notificationsOfAccount(alice, true, 10)->size(), 1);
        QVERIFY(!s->setNotificationState(QStringLiteral("nope"), NotificationState::Opened, t0));

        // 30 deliveries, many sharing next_attempt_at and created_at: the cursor must still see each once.
        QSet<QString> ids;
        for (int i = 0; i < 30; ++i) {
            const QString id = QStringLiteral("d%1").arg(i, 2, 10, QLatin1Char('0'));
            QVERIFY(s->insertDelivery(test::engineDelivery(id, i % 2 ? QStringLiteral("n1") : QStringLiteral("n2"),
                                               i % 2 ? phone.id : tablet.id, t0.addSecs(i % 3))));
            ids.insert(id);
        }
        QCOMPARE(*s->openDeliveryCount(), 30);
        DeliveryRecord done = *s->deliveryById(QStringLiteral("d07"));
        done.state = DeliveryState::Delivered;
        done.channel = DeliveryChannel::Push;
        done.attempts = 2;
        done.providerId = QStringLiteral("apns-1");
        QVERIFY(s->updateDelivery(done));
        ids.remove(QStringLiteral("d07"));
        const auto reread = s->deliveryById(QStringLiteral("d07"));
        QCOMPARE(reread->state, DeliveryState::Delivered);
        QCOMPARE(reread->attempts, 2);
        QCOMPARE(reread->providerId, QStringLiteral("apns-1"));
        DeliveryRecord ghost = test::engineDelivery(QStringLiteral("ghost"), QStringLiteral("n1"), phone.id, t0);
        QVERIFY(!s->updateDelivery(ghost));
        QVERIFY(!s->cancelDelivery(ghost));
        // An operator's cancel keeps the row with the run that owns it (it is told instead).
        QVERIFY2(m_db.raw(QStringLiteral("UPDATE deliveries SET claimed_by = 'other-run' WHERE id = 'd08'"), &error),
                 qPrintable(error));
        DeliveryRecord cancelled = *s->deliveryById(QStringLiteral("d08"));
        cancelled.state = DeliveryState::Cancelled;
        cancelled.lastError = QStringLiteral("cancelled by operator ann");
        QVERIFY(s->cancelDelivery(cancelled));
        QCOMPARE(s->deliveryById(QStringLiteral("d08"))->state, DeliveryState::Cancelled);
        QCOMPARE(s->deliveryById(QStringLiteral("d08"))->lastError, cancelled.lastError);
        QStringList owner;
        QVERIFY2(m_db.rawRows(QStringLiteral("SELECT claimed_by FROM deliveries WHERE id = 'd08'"), &owner, &error),
                 qPrintable(error));
        QCOMPARE(owner, QStringList{QStringLiteral("other-run")});
        ids.remove(QStringLiteral("d08"));
        QVERIFY(!s->insertDelivery(test::engineDelivery(QStringLiteral("orphan"), QStringLiteral("no-such"), phone.id, t0))); // FK

        QCOMPARE(*s->openDeliveryCount(), 28);
        const auto open = s->openDeliveries(100);
        QCOMPARE(open->size(), 28);
        for (qsizetype i = 1; i < open->size(); ++i)
            QVERIFY(open->at(i - 1).nextAttemptAt <= open->at(i).nextAttemptAt);
        // Claimed a page at a time: the keyset cursor must still see each row once. Nobody runs
        // under s's claimer (it never joined the nodes table), so all of them are free to claim.
        Storage::OpenDeliveryCursor cursor;
        QSet<QString> seen;
        int pages = 0;
        while (true) {
            const auto page = s->claimOpenDeliveries(&cursor, QDateTime::currentMSecsSinceEpoch(), 4);
            QVERIFY(page);
            if (page->isEmpty())
                break;
            ++pages;
            for (qsizetype i = 0; i < page->size(); ++i) {
                const DeliveryRecord &d = page->at(i);
                QVERIFY2(!seen.contains(d.id), qPrintable(d.id));
                seen.insert(d.id);
                if (i > 0)
                    QVERIFY(page->at(i - 1).nextAttemptAt <= d.nextAttemptAt); // in resume order
            }
        }
        QCOMPARE(seen, ids);
        QCOMPARE(pages, 7); // 28 open rows, 4 a page
        QCOMPARE(s->deliveriesOfNotification(QStringLiteral("n1"))->size(), 15);

        QVERIFY(s->addDeliveryAttempt({QStringLiteral("d07"), AttemptChannel::Push, QStringLiteral("sent"),
                                       QStringLiteral("200"), t0.addSecs(2), t0.addSecs(1)}));
        QVERIFY(s->addDeliveryAttempt({QStringLiteral("d07"), AttemptChannel::Push, QStringLiteral("delivered"),
                                       QString(), t0.addSecs(3), QDateTime()}));
        const auto attempts = s->deliveryAttempts(QStringLiteral("d07"));
        QCOMPARE(attempts->size(), 2);
        QCOMPARE(attempts->at(0).sentAt, t0.addSecs(1));
        QVERIFY(!attempts->at(1).sentAt.isValid());

        // The console's notification search: failed and pending are about deliveries.
        DeliveryRecord failed = *s->deliveryById(QStringLiteral("d01"));
        failed.state = DeliveryState::Failed;
        QVERIFY(s->updateDelivery(failed));
        NotificationFilter f;
        f.accountId = alice;
        QCOMPARE(*s->countNotifications(f), 2);
        f.deliveries = NotificationFilter::Deliveries::Failed;
        QCOMPARE(*s->countNotifications(f), 1);
        QCOMPARE(s->findNotifications(f, 0, 10)->at(0).id, QStringLiteral("n1"));
        f.deliveries = NotificationFilter::Deliveries::Unfinished;
        QCOMPARE(s->findNotifications(f, 0, -1)->size(), 2);
        QCOMPARE(s->findNotifications(f, 0, 1)->at(0).id, QStringLiteral("n2")); // newest first

        // Deleting a device takes its deliveries with it.
        QVERIFY(s->deleteDevice(phone.id));
        QCOMPARE(s->deliveriesOfNotification(QStringLiteral("n1"))->size(), 0);
    }

    // Two servers (two connections, two claimers) claim one outbox at the same time: every open
    // delivery is claimed by exactly one of them. On PostgreSQL a claim skips the rows another
    // transaction holds (FOR UPDATE SKIP LOCKED) rather than waiting for them or taking them too.

    void transactionsRollBackWhole()
    {
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        QVERIFY(!s->transaction([&] {
            s->createAccount(QStringLiteral("ghost"), QStringLiteral("h"));
            return false;
        }));
        QVERIFY(!s->accountByName(QStringLiteral("ghost")));
        // A statement that fails inside: the whole unit goes, and the connection works on.
        QVERIFY(s->createAccount(QStringLiteral("taken"), QStringLiteral("h")));
        QVERIFY(!s->transaction([&] {
            return s->createAccount(QStringLiteral("first"), QStringLiteral("h")) &&
                   s->createAccount(QStringLiteral("taken"), QStringLiteral("h"));
        }));
        QVERIFY(!s->accountByName(QStringLiteral("first")));
        QVERIFY(s->transaction([&] { return s->createAccount(QStringLiteral("second"), QStringLiteral("h")).has_value(); }));
        QVERIFY(s->accountByName(QStringLiteral("second")));
        // Nested calls join the outer transaction.
        QVERIFY(s->transaction([&] {
            return s->transaction([&] { return s->createAccount(QStringLiteral("inner"), QStringLiteral("h")).has_value(); });
        }));
        QVERIFY(s->accountByName(QStringLiteral("inner")));
    }

    void postgresConnectionErrorsAreClear()
    {
        if (!m_db.isPostgres())
            QSKIP("PostgreSQL only");
        QString error;
        // Nothing listens there: a clear error, quickly.
        PostgresStorage nowhere(PgConnectOptions{QStringLiteral("postgresql://herald:hunter2@127.0.0.1:1/herald"), {}});
        QVERIFY(!nowhere.open(&error));
        QVERIFY2(error.contains(QLatin1String("cannot connect")), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1String("hunter2")), qPrintable(error)); // the password stays out
        // No such database.
        error.clear();
        PostgresStorage missing(PgConnectOptions{m_db.server()->uri(QStringLiteral("no_such_db")), {}});
        QVERIFY(!missing.open(&error));
        QVERIFY2(error.contains(QLatin1String("no_such_db")), qPrintable(error));
        // Garbage for a URI.
        error.clear();
        PostgresStorage garbage(PgConnectOptions{QStringLiteral("postgresql://[::1"), {}});
        QVERIFY(!garbage.open(&error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(PgConnection::redactedUri(QStringLiteral("postgresql://u:secret@h/db?password=other")),
                 QStringLiteral("postgresql://u:xxxxx@h/db?password=xxxxx"));
    }

    void postgresRestartIsSurvived()
    {
        if (!m_db.isPostgres())
            QSKIP("PostgreSQL only");
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        QVERIFY(s->createAccount(QStringLiteral("before"), QStringLiteral("h")));
        QVERIFY(s->eventTargets(QStringLiteral("before"), QStringLiteral("mail")));

        // Idle when the server goes: the next call connects again and works.
        QVERIFY2(m_db.server()->restart(&error), qPrintable(error));
        QVERIFY2(s->createAccount(QStringLiteral("after"), QStringLiteral("h")), qPrintable(s->lastError()));
        QVERIFY(s->accountByName(QStringLiteral("before")));

        // Inside a transaction when it goes: that transaction fails as a whole (nothing of it runs
        // in autocommit on the new session), and the connection works again afterwards.
        bool restarted = false;
        QVERIFY(!s->transaction([&] {
            if (!s->createAccount(QStringLiteral("half"), QStringLiteral("h")))
                return false;
            restarted = m_db.server()->restart(&error);
            return s->createAccount(QStringLiteral("other-half"), QStringLiteral("h")).has_value();
        }));
        QVERIFY2(restarted, qPrintable(error));
        QVERIFY(!s->accountByName(QStringLiteral("half")));
        QVERIFY(!s->accountByName(QStringLiteral("other-half")));
        QVERIFY(s->createAccount(QStringLiteral("later"), QStringLiteral("h")));

        // Changes made while the connection was away are not missed by the targets cache.
        auto other = m_db.reopen(&error);
        QVERIFY2(other, qPrintable(error));
        QVERIFY2(m_db.server()->restart(&error), qPrintable(error));
        const qint64 id = other->accountByName(QStringLiteral("before"))->id;
        QVERIFY(other->setAccountDisabled(id, true));
        QVERIFY(s->eventTargets(QStringLiteral("before"), QStringLiteral("mail"))->account.disabled);
    }

    void postgresListeningConnectionComesBackByItself()
    {
        // The connection that LISTENs runs no statements of its own in a server: after a restart of
        // PostgreSQL it must connect again by itself, or hand-overs and the cluster's live feed are
        // lost for good. Nothing here runs a statement on `s` after the restart.
        if (!m_db.isPostgres())
            QSKIP("PostgreSQL only");
        QString error;
        auto s = m_db.fresh(&error);
        QVERIFY2(s, qPrintable(error));
        QByteArrayList heard;
        s->setFeedReceiver([&heard](Storage::FeedChannel, const QByteArray &payload) { heard.append(payload); });
        auto other = m_db.reopen(&error);
        QVERIFY2(other, qPrintable(error));
        QVERIFY(other->notifyFeed(Storage::FeedChannel::Watchers, "before"));
        QTRY_COMPARE_WITH_TIMEOUT(heard, QByteArrayList{"before"}, 5000);

        QVERIFY2(m_db.server()->restart(&error), qPrintable(error));
        // Sent until heard: a NOTIFY sent before `s` listens again is lost, as PostgreSQL does.
        QTRY_VERIFY_WITH_TIMEOUT((other->notifyFeed(Storage::FeedChannel::Watchers, "after"), heard.contains("after")),
                                 20000);
        s->setFeedReceiver({});
    }

    void postgresPasswordFromAFile()
    {
        if (!m_db.isPostgres())
            QSKIP("PostgreSQL only");
        test::PostgresServer::Options options;
        options.password = QStringLiteral("s3cret pass:word");
        test::PostgresServer secured(options);
        QString error;
        QVERIFY2(secured.start(&error), qPrintable(error));
        QVERIFY2(secured.createDatabase(QStringLiteral("herald"), &error), qPrintable(error));

        PostgresStorage noPassword(PgConnectOptions{secured.uri(QStringLiteral("herald")), QStringLiteral("/nonexistent")});
        QVERIFY(!noPassword.open(&error));
        QVERIFY2(error.contains(QLatin1String("password")), qPrintable(error));

        // The .pgpass format: host:port:database:user:password, with ':' and '\' escaped.
        QTemporaryDir dir;
        QFile pass(dir.filePath(QStringLiteral("pgpass")));
        QVERIFY(pass.open(QIODevice::WriteOnly));
        pass.write(QStringLiteral("127.0.0.1:%1:herald:herald:s3cret pass\\:word\n").arg(secured.port()).toUtf8());
        pass.close();
        pass.setPermissions(QFile::ReadOwner | QFile::WriteOwner); // libpq ignores a file others can read
        PostgresStorage withFile(PgConnectOptions{secured.uri(QStringLiteral("herald")), pass.fileName()});
        error.clear();
        QVERIFY2(withFile.open(&error), qPrintable(error));
        QVERIFY(withFile.createAccount(QStringLiteral("alice"), QStringLiteral("h")));
    }
};

int main(int argc, char *argv[])
{
    return test::runOnEngine<tst_StorageEngines>(argc, argv);
}

#include "tst_storageengines.moc"
