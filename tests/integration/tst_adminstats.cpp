// GET /admin/v1/stats against a real server: devices by platform and by presence as a real
// terminal session comes and goes, events and deliveries (in-band, push) counted, the outbox
// depth, the push provider's state; who may read it.
#include "AdminFixture.h"
#include "SessionChannel.h"

#include <QJsonArray>
#include <QtTest>

using namespace herald;
using namespace herald::test;

class tst_AdminStats : public QObject
{
    Q_OBJECT

private:
    AdminFixture m_fx;

    QJsonObject stats() { return m_fx.http().get(QStringLiteral("/admin/v1/stats"), m_fx.helpdesk()).json().object(); }
    static int at(const QJsonObject &o, const QString &path)
    {
        QJsonValue v = o;
        for (const QString &key : path.split(QLatin1Char('.')))
            v = v.toObject().value(key);
        return v.toInt(-1);
    }
    int seriesSum(const QString &key)
    {
        int sum = 0;
        for (const QJsonValue &m : stats().value(QStringLiteral("series")).toArray())
            sum += m.toObject().value(key).toInt();
        return sum;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_fx.start()); }

    void shapeWithNothingHappened()
    {
        const auto reply = m_fx.http().get(QStringLiteral("/admin/v1/stats"), m_fx.helpdesk());
        QCOMPARE(reply.status, 200);
        const QJsonObject s = reply.json().object();
        QCOMPARE(at(s, QStringLiteral("devices.total")), 0);
        QCOMPARE(at(s, QStringLiteral("devices.byPlatform.ios")), 0);
        QCOMPARE(at(s, QStringLiteral("devices.byPresence.offline")), 0);
        QCOMPARE(at(s, QStringLiteral("events.lastMinute")), 0);
        QCOMPARE(at(s, QStringLiteral("deliveries.lastHour.push")), 0);
        QCOMPARE(at(s, QStringLiteral("outboxDepth")), 0);
        QCOMPARE(at(s, QStringLiteral("monitors.watching")), 0);
        const QJsonArray series = s.value(QStringLiteral("series")).toArray();
        QCOMPARE(series.size(), 60);
        const QDateTime first = QDateTime::fromString(series.first().toObject().value(QStringLiteral("minute")).toString(), Qt::ISODateWithMs);
        const QDateTime last = QDateTime::fromString(series.last().toObject().value(QStringLiteral("minute")).toString(), Qt::ISODateWithMs);
        QCOMPARE(first.secsTo(last), 59 * 60);
        QCOMPARE(last.time().second(), 0);
        QVERIFY(last.secsTo(QDateTime::currentDateTimeUtc()) < 120);
        const QJsonArray providers = s.value(QStringLiteral("providers")).toArray();
        QCOMPARE(providers.size(), 1);
        const QJsonObject recording = providers.first().toObject();
        QCOMPARE(recording.value(QStringLiteral("name")).toString(), QStringLiteral("recording"));
        QCOMPARE(recording.value(QStringLiteral("state")).toString(), QStringLiteral("ok"));
        QVERIFY(recording.value(QStringLiteral("reason")).isNull());
        QCOMPARE(recording.value(QStringLiteral("platforms")).toArray(), (QJsonArray{QStringLiteral("android"), QStringLiteral("ios")}));
    }

    void countsFollowARealSession()
    {
        const QString phone = m_fx.delivery().registerDevice(QStringLiteral("phone"));
        const QString tablet = m_fx.delivery().registerDevice(QStringLiteral("tablet"));
        QVERIFY(!phone.isEmpty() && !tablet.isEmpty());
        QVERIFY(m_fx.delivery().login(phone));
        QJsonObject s = stats();
        QCOMPARE(at(s, QStringLiteral("devices.total")), 2);
        QCOMPARE(at(s, QStringLiteral("devices.byPlatform.android")), 2);
        QCOMPARE(at(s, QStringLiteral("devices.byPresence.offline")), 2);
        QCOMPARE(at(s, QStringLiteral("monitors.watching")), 1); // "mail" is posted to by sources

        // The phone comes online, with mail in the foreground; acks are the test's to send.
        auto session = m_fx.delivery().openSession(phone, false);
        QVERIFY(session);
        QTRY_COMPARE(at(stats(), QStringLiteral("devices.byPresence.closed")), 1);
        QCOMPARE(at(stats(), QStringLiteral("devices.online")), 1);
        QVERIFY(session->setState(QStringLiteral("mail"), protocol::UiState::Foreground));
        QTRY_COMPARE(at(stats(), QStringLiteral("devices.byPresence.foreground")), 1);
        QCOMPARE(at(stats(), QStringLiteral("devices.byPresence.offline")), 1);

        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QString id;
        QCOMPARE(m_fx.delivery().postEvent(QStringLiteral("stats-1"), &id), 202);
        s = stats();
        QCOMPARE(at(s, QStringLiteral("events.lastMinute")), 1);
        QCOMPARE(at(s, QStringLiteral("events.lastHour")), 1);
        QVERIFY(at(s, QStringLiteral("outboxDepth")) >= 1); // in-band, waiting for the ack
        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty(), 10000);
        QVERIFY(session->ack(id));
        QTRY_COMPARE(at(stats(), QStringLiteral("deliveries.lastMinute.inband")), 1);
        QCOMPARE(seriesSum(QStringLiteral("inband")), 1);
        QCOMPARE(seriesSum(QStringLiteral("events")), 1);

        // Offline now: the next event is pushed (the recording provider accepts everything).
        session->close();
        QTRY_COMPARE(at(stats(), QStringLiteral("devices.byPresence.offline")), 2);
        QCOMPARE(m_fx.delivery().postEvent(QStringLiteral("stats-2")), 202);
        QTRY_COMPARE(at(stats(), QStringLiteral("deliveries.lastMinute.push")), 1);
        QTRY_COMPARE(at(stats(), QStringLiteral("outboxDepth")), 0);
        s = stats();
        QCOMPARE(at(s, QStringLiteral("events.lastMinute")), 2);
        QCOMPARE(at(s, QStringLiteral("deliveries.lastHour.failed")), 0);
        QCOMPARE(seriesSum(QStringLiteral("push")), 1);

        // A repeated eventId is no new event.
        QCOMPARE(m_fx.delivery().postEvent(QStringLiteral("stats-2")), 200);
        QCOMPARE(at(stats(), QStringLiteral("events.lastMinute")), 2);
    }

    void whoMayRead()
    {
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/stats"), m_fx.admin()).status, 200);
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/stats")).status, 401);
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/stats"), QString(43, QLatin1Char('Z'))).errorCode(), QStringLiteral("invalid_token"));
        QCOMPARE(m_fx.http().request("POST", QStringLiteral("/admin/v1/stats"), "{}", m_fx.admin()).status, 405);
    }
};

QTEST_GUILESS_MAIN(tst_AdminStats)
#include "tst_adminstats.moc"
