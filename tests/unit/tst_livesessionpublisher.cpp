// LiveSessionPublisher tells the other nodes of a cluster which app each of this run's sessions
// shows (the live_sessions table): one row per session, its foreground app as the terminal last
// said, "none" again after a reconnect until the new session says, and no row once it closes.
// Another run's Storage reads it back as the dispatcher of another node would (sessionHolder).
#include "dispatch/LiveSessionPublisher.h"
#include "presence/PresenceTracker.h"
#include "storage/SqliteStorage.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;

class tst_LiveSessionPublisher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void publishesWhatTheTerminalShows()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("herald.sqlite"));
        SqliteStorage mine(path);
        QString error;
        QVERIFY2(mine.open(&error), qPrintable(error));
        QVERIFY(mine.joinNodes(QStringLiteral("node-a")));
        SqliteStorage other(path); // another node's run on the same database
        QVERIFY2(other.open(&error), qPrintable(error));
        const qint64 alice = *mine.createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        DeviceRecord phone;
        phone.accountId = alice;
        phone.deviceId = QStringLiteral("phone");
        phone.platform = QStringLiteral("android");
        phone.pushToken = QStringLiteral("t");
        phone.tokenHash = QByteArray(32, 'p');
        phone.apps = {QStringLiteral("mail")};
        QVERIFY(mine.upsertDevice(phone));
        const qint64 device = mine.deviceByDeviceId(QStringLiteral("phone"))->id;

        PresenceTracker presence;
        LiveSessionPublisher publisher(mine, presence);
        auto holder = [&] {
            return other.sessionHolder(device, QStringLiteral("mail"), QDateTime::currentMSecsSinceEpoch() - 60'000)
                .value_or(QStringLiteral("error"));
        };
        // The run that holds the device's session with no app on screen.
        auto idle = [&] { return other.sessionHolder(device, QStringLiteral(""), 0).value_or(QStringLiteral("error")); };

        Q_EMIT presence.sessionReady(device);
        QCOMPARE(holder(), QString());
        QCOMPARE(idle(), mine.claimer());
        Q_EMIT presence.presenceChanged(device, QStringLiteral("mail"), Presence::Foreground);
        QCOMPARE(holder(), mine.claimer());
        Q_EMIT presence.presenceChanged(device, QStringLiteral("im"), Presence::Background); // another app: no change
        QCOMPARE(holder(), mine.claimer());
        Q_EMIT presence.presenceChanged(device, QStringLiteral("mail"), Presence::Background);
        QCOMPARE(holder(), QString());

        // A reconnect: the new session shows nothing until its first state frame.
        Q_EMIT presence.presenceChanged(device, QStringLiteral("mail"), Presence::Foreground);
        QCOMPARE(holder(), mine.claimer());
        Q_EMIT presence.sessionReady(device);
        QCOMPARE(holder(), QString());
        Q_EMIT presence.presenceChanged(device, QStringLiteral("mail"), Presence::Foreground);
        QCOMPARE(holder(), mine.claimer());

        // Closed: no row at all.
        Q_EMIT presence.sessionClosed(device);
        QCOMPARE(holder(), QString());
        QCOMPARE(idle(), QString());
    }
};

QTEST_GUILESS_MAIN(tst_LiveSessionPublisher)
#include "tst_livesessionpublisher.moc"
