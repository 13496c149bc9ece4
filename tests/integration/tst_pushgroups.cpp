// What the phone shows for a burst and after an open elsewhere, through the real APNs and FCM
// providers to the local stand-ins:
// - grouped bursts: 20 mails within the group window reach every pushed device as pushes that all
//   carry one collapse id (apns-collapse-id, FCM collapse_key and android tag): one visible
//   notification, whose last update reads "20 new mails — Eve, Dan and 3 others" with badge 20.
//   Only the first sounds. A device with the app in the foreground still gets 20 deliver frames.
// - clear everywhere: opening on device A sends a `clear` frame to connected device B and a
//   silent update (APNs background push at priority 5 with the new badge, FCM data message) to the
//   disconnected devices C and D — naming the group's collapse id when a group was opened — and
//   nothing to A itself.
#include "AsyncHttps.h"
#include "DeliveryFixture.h"
#include "ProviderStandins.h"
#include "PushNotice.h"
#include "SessionChannel.h"

#include <QJsonArray>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using namespace herald::standin;

namespace {

struct Device
{
    QString id;
    bool ios;
    QString pushToken;
};
// A opens; B holds a session; C (APNs) and D (FCM) are away.
const Device A{QStringLiteral("ios-a"), true, QString(QStringLiteral("a1")).repeated(32)};
const Device B{QStringLiteral("android-b"), false, QStringLiteral("fcm-b")};
const Device C{QStringLiteral("ios-c"), true, QString(QStringLiteral("c3")).repeated(32)};
const Device D{QStringLiteral("android-d"), false, QStringLiteral("fcm-d")};

} // namespace

class tst_PushGroups : public QObject
{
    Q_OBJECT

    ProviderStandins m_standins;
    std::unique_ptr<DeliveryFixture> m_f;
    QHash<QString, QString> m_tokens; // device id -> device token
    std::unique_ptr<SessionChannel> m_sessionB;
    QStringList m_mails;              // notification ids of the burst, in order

    QList<ApnsStandin::Record> apnsFor(const Device &d)
    {
        QList<ApnsStandin::Record> out;
        for (const ApnsStandin::Record &r : m_standins.apns().records())
            if (r.deviceToken == d.pushToken)
                out << r;
        return out;
    }
    QList<FcmStandin::Record> fcmFor(const Device &d)
    {
        QList<FcmStandin::Record> out;
        for (const FcmStandin::Record &r : m_standins.fcm().records())
            if (r.token == d.pushToken)
                out << r;
        return out;
    }
    int postEvent(const QString &app, const QString &eventId, const QString &sender, QString *id)
    {
        const QJsonObject event{{QStringLiteral("account"), QStringLiteral("alice")}, {QStringLiteral("app"), app},
                                {QStringLiteral("eventId"), eventId}, {QStringLiteral("sender"), sender},
                                {QStringLiteral("subject"), QStringLiteral("Subject of ") + eventId}};
        const auto reply = m_f->http().post(QStringLiteral("/v1/events"), event, m_f->sourceToken());
        *id = reply.json().object().value(QStringLiteral("id")).toString();
        return reply.status;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_standins.start());
        const QByteArray ini = m_standins.configIni() +
                               "[dispatch]\ntarget_policy = all\ngroup_window_secs = 600\n\n"
                               "[app.mail]\nprivacy = summary\nkind = mail\n\n"
                               "[app.im]\nprivacy = summary\nkind = message\n\n";
        m_f = std::make_unique<DeliveryFixture>(QStringList{}, ini);
        QVERIFY(m_f->start());
        for (const Device &d : {A, B, C, D}) {
            const QJsonObject body{
                {QStringLiteral("username"), QStringLiteral("alice")},
                {QStringLiteral("password"), QString::fromLatin1(DeliveryFixture::Password)},
                {QStringLiteral("device"),
                 QJsonObject{{QStringLiteral("id"), d.id},
                             {QStringLiteral("platform"), d.ios ? QStringLiteral("ios") : QStringLiteral("android")},
                             {QStringLiteral("pushToken"), d.pushToken},
                             {QStringLiteral("locale"), QStringLiteral("en_US")}}},
                {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail"), QStringLiteral("im")}}};
            const auto reply = m_f->http().post(QStringLiteral("/v1/register"), body);
            QCOMPARE(reply.status, 201);
            m_tokens.insert(d.id, reply.json().object().value(QStringLiteral("deviceToken")).toString());
        }
        QVERIFY(m_f->login(m_tokens.value(A.id), {QStringLiteral("mail"), QStringLiteral("im")}));
        // B looks at mail (in-band) and has im in the background (pushed, and cleared by frame).
        m_sessionB = m_f->openSession(m_tokens.value(B.id));
        QVERIFY(m_sessionB);
        QVERIFY(m_sessionB->setState(QStringLiteral("mail"), protocol::UiState::Foreground));
        QVERIFY(m_sessionB->setState(QStringLiteral("im"), protocol::UiState::Background));
        QVERIFY(DeliveryFixture::caughtUp(*m_sessionB));
    }

    void burstIsOneNotification()
    {
        const auto log = qScopeGuard([this] {
            if (QTest::currentTestFailed())
                qWarning().noquote() << m_f->server().output();
        });
        QSignalSpy delivered(m_sessionB.get(), &SessionChannel::delivered);
        const QStringList senders{"Alice", "Bob", "Carol"};
        for (int i = 0; i < 20; ++i) {
            const QString sender = i == 18 ? QStringLiteral("Dan") : i == 19 ? QStringLiteral("Eve") : senders[i % 3];
            QString id;
            QCOMPARE(postEvent(QStringLiteral("mail"), QStringLiteral("burst-%1").arg(i), sender, &id), 202);
            m_mails << id;
        }
        QTRY_COMPARE_WITH_TIMEOUT(int(apnsFor(A).size()), 20, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(int(apnsFor(C).size()), 20, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(int(fcmFor(D).size()), 20, 30000);
        // In-band stays per event: the user is looking at the app.
        QTRY_COMPARE_WITH_TIMEOUT(int(delivered.size()), 20, 30000);
        QVERIFY(fcmFor(B).isEmpty());

        const QString group = m_mails.first();
        const QString last = QStringLiteral("20 new mails — Eve, Dan and 3 others");
        for (const Device &d : {A, C}) {
            const auto records = apnsFor(d);
            int sounded = 0;
            for (const ApnsStandin::Record &r : records) {
                QCOMPARE(r.status, 200);
                QCOMPARE(r.collapseId, group); // one tray entry, replaced 19 times
                const QJsonObject aps = QJsonDocument::fromJson(r.payload).object().value("aps").toObject();
                QCOMPARE(aps.value("thread-id").toString(), QStringLiteral("mail"));
                sounded += aps.contains("sound");
            }
            QCOMPARE(sounded, 1);
            const QJsonObject newest = QJsonDocument::fromJson(records.last().payload).object();
            QCOMPARE(newest.value("nid").toString(), m_mails.last());
            QCOMPARE(newest.value("aps").toObject().value("alert").toObject().value("body").toString(), last);
            QCOMPARE(newest.value("aps").toObject().value("badge").toInt(), 20);
            const QJsonObject second = QJsonDocument::fromJson(records.at(1).payload).object();
            QCOMPARE(second.value("aps").toObject().value("alert").toObject().value("body").toString(),
                     QStringLiteral("2 new mails — Bob and Alice"));
        }
        const auto android = fcmFor(D);
        for (const FcmStandin::Record &r : android) {
            QCOMPARE(r.message.value("android").toObject().value("collapse_key").toString(), group);
            QCOMPARE(r.message.value("android").toObject().value("notification").toObject().value("tag").toString(), group);
        }
        const QJsonObject newest = android.last().message;
        QCOMPARE(newest.value("notification").toObject().value("body").toString(), last);
        QCOMPARE(newest.value("android").toObject().value("notification").toObject().value("notification_count").toInt(), 20);
        // What herald-client makes of it.
        const auto notice = client::PushNotice::read(android.last().body);
        QVERIFY(notice);
        QCOMPARE(notice->notificationId, m_mails.last());
        QCOMPARE(notice->badge, 20);
    }

    void openingClearsEverywhere()
    {
        const auto log = qScopeGuard([this] {
            if (QTest::currentTestFailed())
                qWarning().noquote() << m_f->server().output();
        });
        QString im;
        QCOMPARE(postEvent(QStringLiteral("im"), QStringLiteral("chat-1"), QStringLiteral("Frank"), &im), 202);
        auto pushedIm = [&](const QList<FcmStandin::Record> &records) {
            return std::count_if(records.cbegin(), records.cend(), [&](const FcmStandin::Record &r) {
                return r.message.value("data").toObject().value("nid").toString() == im;
            });
        };
        QTRY_COMPARE_WITH_TIMEOUT(int(apnsFor(A).size()), 21, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(int(apnsFor(C).size()), 21, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(int(pushedIm(fcmFor(B))), 1, 30000); // im is in B's background
        QTRY_COMPARE_WITH_TIMEOUT(int(pushedIm(fcmFor(D))), 1, 30000);
        const int fcmBefore = int(m_standins.fcm().records().size());

        QSignalSpy cleared(m_sessionB.get(), &SessionChannel::cleared);
        const auto opened = m_f->http().post(QStringLiteral("/v1/notifications/%1/open").arg(im), QJsonObject(),
                                             m_tokens.value(A.id));
        QCOMPARE(opened.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(int(cleared.size()), 1, 30000);
        QCOMPARE(cleared.first().first().toStringList(), QStringList{im});

        // C: an APNs background push, priority 5, nothing but the id and the new badge (20 mails).
        QTRY_COMPARE_WITH_TIMEOUT(int(apnsFor(C).size()), 22, 30000);
        const ApnsStandin::Record c = apnsFor(C).last();
        QCOMPARE(c.status, 200);
        QCOMPARE(c.pushType, QStringLiteral("background"));
        QCOMPARE(c.priority, QStringLiteral("5"));
        QVERIFY(c.collapseId.isEmpty()); // it must not replace a notification: it removes one
        QCOMPARE(QJsonDocument::fromJson(c.payload).object(),
                 (QJsonObject{{"aps", QJsonObject{{"content-available", 1}, {"badge", 20}}}, {"clear", QJsonArray{im}}}));
        // D: an FCM data message.
        QTRY_COMPARE_WITH_TIMEOUT(int(fcmFor(D).size()), 22, 30000);
        const FcmStandin::Record d = fcmFor(D).last();
        QCOMPARE(d.message.value("data").toObject(), (QJsonObject{{"clear", im}, {"badge", "20"}}));
        QVERIFY(!d.message.contains("notification"));
        QCOMPARE(d.message.value("android").toObject().value("priority").toString(), QStringLiteral("NORMAL"));
        const auto notice = client::PushNotice::read(d.body);
        QVERIFY(notice);
        QCOMPARE(notice->kind, client::PushNotice::Kind::Clear);
        QCOMPARE(notice->clearIds, QStringList{im});
        QCOMPARE(notice->badge, 20);
        // Nothing to A, which opened it, nor to B, which got the frame: the session's ping
        // round trip after the frame, and the FCM count, show nothing more is on its way.
        QVERIFY(DeliveryFixture::caughtUp(*m_sessionB));
        QCOMPARE(int(apnsFor(A).size()), 21);
        QCOMPARE(int(m_standins.fcm().records().size()), fcmBefore + 1);
    }

    void openingAGroupClearsItsTrayEntry()
    {
        // Opening the newest mail of the burst drops the group's entry (known by the first mail's
        // id) on the other devices; the next mail starts a new group.
        const int cBefore = int(apnsFor(C).size());
        const auto opened = m_f->http().post(QStringLiteral("/v1/notifications/%1/open").arg(m_mails.last()),
                                             QJsonObject(), m_tokens.value(A.id));
        QCOMPARE(opened.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(int(apnsFor(C).size()), cBefore + 1, 30000);
        const QJsonObject clear = QJsonDocument::fromJson(apnsFor(C).last().payload).object();
        QCOMPARE(clear.value("clear").toArray(), (QJsonArray{m_mails.last(), m_mails.first()}));
        QCOMPARE(clear.value("aps").toObject().value("badge").toInt(), 19);

        QString next;
        QCOMPARE(postEvent(QStringLiteral("mail"), QStringLiteral("after-group"), QStringLiteral("Gina"), &next), 202);
        QTRY_COMPARE_WITH_TIMEOUT(int(apnsFor(C).size()), cBefore + 2, 30000);
        const ApnsStandin::Record r = apnsFor(C).last();
        QCOMPARE(r.collapseId, next);
        const QJsonObject aps = QJsonDocument::fromJson(r.payload).object().value("aps").toObject();
        QCOMPARE(aps.value("alert").toObject().value("body").toString(), QStringLiteral("New mail from Gina"));
        QCOMPARE(aps.value("badge").toInt(), 20);
        QVERIFY(aps.contains("sound"));
    }

    void openingTwiceAtOnceClearsOnce()
    {
        // A and C open the same notification at the same moment: both are answered with it, and
        // the other devices are cleared once, not once per open.
        const auto log = qScopeGuard([this] {
            if (QTest::currentTestFailed())
                qWarning().noquote() << m_f->server().output();
        });
        QString im;
        QCOMPARE(postEvent(QStringLiteral("im"), QStringLiteral("chat-twice"), QStringLiteral("Hank"), &im), 202);
        auto count = [](const QList<FcmStandin::Record> &records, const char *field, const QString &id) {
            return int(std::count_if(records.cbegin(), records.cend(), [&](const FcmStandin::Record &r) {
                return r.message.value("data").toObject().value(QLatin1String(field)).toString() == id;
            }));
        };
        QTRY_COMPARE_WITH_TIMEOUT(count(fcmFor(D), "nid", im), 1, 30000);
        QSignalSpy cleared(m_sessionB.get(), &SessionChannel::cleared);

        AsyncHttps fromA(m_f->server().port(), m_f->server().caCertificates());
        AsyncHttps fromC(m_f->server().port(), m_f->server().caCertificates());
        const QString path = QStringLiteral("/v1/notifications/%1/open").arg(im);
        fromA.send("POST", path, "{}", m_tokens.value(A.id));
        fromC.send("POST", path, "{}", m_tokens.value(C.id));
        QTRY_VERIFY_WITH_TIMEOUT(fromA.isDone() && fromC.isDone(), 30000);
        QCOMPARE(fromA.status(), 200);
        QCOMPARE(fromC.status(), 200);
        QCOMPARE(fromA.json().object().value("notification").toObject().value("id").toString(), im);
        QCOMPARE(fromC.json().object().value("notification").toObject().value("id").toString(), im);

        // Frames naming this notification only: a clear left over from the test before may still
        // be on its way (the group opened there).
        auto clearedIm = [&] {
            return int(std::count_if(cleared.cbegin(), cleared.cend(), [&](const QList<QVariant> &frame) {
                return frame.value(0).toStringList().contains(im);
            }));
        };
        QTRY_COMPARE_WITH_TIMEOUT(clearedIm(), 1, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(count(fcmFor(D), "clear", im), 1, 30000);
        // A marker behind them: once D has its push, a second clear sent before it would be there.
        QString marker;
        QCOMPARE(postEvent(QStringLiteral("im"), QStringLiteral("chat-marker"), QStringLiteral("Ida"), &marker), 202);
        QTRY_COMPARE_WITH_TIMEOUT(count(fcmFor(D), "nid", marker), 1, 30000);
        QVERIFY(DeliveryFixture::caughtUp(*m_sessionB));
        QCOMPARE(count(fcmFor(D), "clear", im), 1);
        QCOMPARE(clearedIm(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_PushGroups)
#include "tst_pushgroups.moc"
