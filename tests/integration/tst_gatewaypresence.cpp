// POST /v1/presence against a real server: a remote-app gateway's "foreground" suppresses both the
// push and the in-band frame and records seen-in-app; anything else (or an expired report) brings
// the terminals' own decision back; a device report beats an account-wide one, and the newer of a
// device report and the device's own frames wins; token kinds are kept apart; a batch of 1 000 is
// one request; every malformed field is refused and nothing of a malformed batch is applied.
#include "AdminFixture.h"
#include "DeliveryFixture.h"
#include "PromText.h"
#include "SessionChannel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using protocol::UiState;

namespace {

// Sends a ping and waits for its pong: frames sent before it have been processed by then.
bool pingPong(SessionChannel *session)
{
    bool ponged = false;
    const auto watch = QObject::connect(session, &SessionChannel::frameReceived, session,
                                        [&ponged](const protocol::SessionFrame &frame) {
                                            ponged = ponged || std::holds_alternative<protocol::PongFrame>(frame);
                                        });
    const bool answered = session->sendPing() && QTest::qWaitFor([&ponged] { return ponged; }, 5000);
    QObject::disconnect(watch);
    return answered;
}

QJsonObject report(const QString &ui, const QString &device = {}, int ttlSecs = 0)
{
    QJsonObject r{{QStringLiteral("account"), QStringLiteral("alice")},
                  {QStringLiteral("app"), QStringLiteral("mail")},
                  {QStringLiteral("ui"), ui}};
    if (!device.isEmpty())
        r.insert(QStringLiteral("device"), device);
    if (ttlSecs > 0)
        r.insert(QStringLiteral("ttlSecs"), ttlSecs);
    return r;
}

} // namespace

class tst_GatewayPresence : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DeliveryFixture> m_shared; // one server for the bad-input rows
    QString m_sharedGateway;

    static QString addGateway(DeliveryFixture &f, const QString &name = QStringLiteral("rds"))
    {
        const auto made = f.server().runCommand(
            {QStringLiteral("source"), QStringLiteral("add"), name, QStringLiteral("--kind"), QStringLiteral("presence")});
        return made.exitCode == 0 ? made.out.trimmed() : QString();
    }

    static int postPresence(DeliveryFixture &f, const QString &token, const QJsonObject &body, QJsonObject *answer = nullptr)
    {
        const auto reply = f.http().post(QStringLiteral("/v1/presence"), body, token);
        if (answer)
            *answer = QJsonDocument::fromJson(reply.body).object();
        return reply.status;
    }

    // A session whose state frames the server has processed: the pong to a ping sent after them
    // comes back only once the frames before it were read.
    static std::unique_ptr<SessionChannel> sessionIn(DeliveryFixture &f, const QString &token, UiState ui)
    {
        auto session = f.openSession(token);
        if (!session || !session->setState(QStringLiteral("mail"), ui) || !pingPong(session.get()))
            return nullptr;
        return session;
    }

private Q_SLOTS:
    void cleanupTestCase() { m_shared.reset(); }

    void foregroundReportMeansSeenInApp()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString gateway = addGateway(f);
        QVERIFY(!gateway.isEmpty());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        // The terminal says mail is on its screen too: still nothing in-band, the user reads it remotely.
        auto session = sessionIn(f, token, UiState::Foreground);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QJsonObject answer;
        QCOMPARE(postPresence(f, gateway, report(QStringLiteral("foreground")), &answer), 200);
        QCOMPARE(answer.value(QStringLiteral("accepted")).toInt(), 1);
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_COMPARE(f.deliveries(id), QStringList{QStringLiteral("phone:delivered:seen-in-app")});
        QVERIFY(f.pushes(id).isEmpty());
        // A ping answered after the decision proves no deliver frame was on its way before it.
        QVERIFY(pingPong(session.get()));
        QVERIFY(delivered.isEmpty());
        // Still unread and listed, so badges stay right.
        const auto unread = f.http().get(QStringLiteral("/v1/notifications?state=unread"), token);
        QCOMPARE(unread.status, 200);
        QVERIFY(unread.body.contains(id.toUtf8()));
    }

    void seenInAppIsCountedForAdmins()
    {
        AdminFixture f({}, "[metrics]\nenabled = true\n");
        QVERIFY(f.start());
        const QString gateway = addGateway(f.delivery());
        const QString token = f.delivery().registerDevice(QStringLiteral("phone"));
        QVERIFY(f.delivery().login(token));
        QCOMPARE(postPresence(f.delivery(), gateway, report(QStringLiteral("foreground"))), 200);
        QString id;
        QCOMPARE(f.delivery().postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_COMPARE(f.delivery().deliveries(id), QStringList{QStringLiteral("phone:delivered:seen-in-app")});
        const auto stats = f.http().get(QStringLiteral("/admin/v1/stats"), f.helpdesk());
        QCOMPARE(stats.status, 200);
        const QJsonObject deliveries = QJsonDocument::fromJson(stats.body).object().value(QStringLiteral("deliveries")).toObject();
        QCOMPARE(deliveries.value(QStringLiteral("lastMinute")).toObject().value(QStringLiteral("seenInApp")).toInt(), 1);
        QCOMPARE(deliveries.value(QStringLiteral("lastMinute")).toObject().value(QStringLiteral("push")).toInt(), 0);
        // And in /metrics: an attempt by the gateway channel, a delivery in the seen-in-app channel.
        const auto metrics = f.http().get(QStringLiteral("/metrics"));
        QCOMPARE(metrics.status, 200);
        PromText prom;
        QVERIFY2(prom.parse(metrics.body), qPrintable(prom.error()));
        QCOMPARE(prom.value(QStringLiteral("herald_delivery_attempts_total"),
                            {{QStringLiteral("channel"), QStringLiteral("gateway")}, {QStringLiteral("outcome"), QStringLiteral("seen-in-app")}}),
                 1.0);
        QCOMPARE(prom.value(QStringLiteral("herald_deliveries_total"),
                            {{QStringLiteral("channel"), QStringLiteral("seen-in-app")}, {QStringLiteral("state"), QStringLiteral("delivered")}}),
                 1.0);
        QCOMPARE(prom.sum(QStringLiteral("herald_delivery_attempts_total"), {{QStringLiteral("channel"), QStringLiteral("push")}}), 0.0);
    }

    void adminListsShowTheGatewaysView()
    {
        AdminFixture f({QStringLiteral("--target-policy"), QStringLiteral("all")});
        QVERIFY(f.start());
        const QString gateway = addGateway(f.delivery());
        const QString phone = f.delivery().registerDevice(QStringLiteral("phone"));
        QVERIFY(f.delivery().login(phone));
        QVERIFY(!f.delivery().registerDevice(QStringLiteral("tablet")).isEmpty());
        auto devices = [&f] {
            QHash<QString, QJsonObject> byId;
            const auto reply = f.http().get(QStringLiteral("/admin/v1/devices"), f.helpdesk());
            for (const QJsonValue &d : QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("devices")).toArray())
                byId.insert(d.toObject().value(QStringLiteral("deviceId")).toString(), d.toObject());
            return byId;
        };
        // No report yet: an empty view.
        QCOMPARE(devices().value(QStringLiteral("phone")).value(QStringLiteral("gateway")).toObject(), QJsonObject());

        // The whole account in the foreground, and the phone alone in the background.
        const QJsonArray reports{report(QStringLiteral("foreground"), {}, 600), report(QStringLiteral("background"), QStringLiteral("phone"))};
        QCOMPARE(postPresence(f.delivery(), gateway, QJsonObject{{QStringLiteral("reports"), reports}}), 200);
        const auto byId = devices();
        const QJsonObject phoneView = byId.value(QStringLiteral("phone")).value(QStringLiteral("gateway")).toObject()
                                          .value(QStringLiteral("mail")).toObject();
        QCOMPARE(phoneView.value(QStringLiteral("ui")).toString(), QStringLiteral("background"));
        QCOMPARE(phoneView.value(QStringLiteral("scope")).toString(), QStringLiteral("device"));
        QCOMPARE(phoneView.value(QStringLiteral("decides")).toBool(), true);
        const QDateTime at = QDateTime::fromString(phoneView.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
        const QDateTime expires = QDateTime::fromString(phoneView.value(QStringLiteral("expiresAt")).toString(), Qt::ISODateWithMs);
        QVERIFY(at.isValid() && expires.isValid());
        QCOMPARE(at.secsTo(expires), 90); // the default TTL
        const QJsonObject tabletView = byId.value(QStringLiteral("tablet")).value(QStringLiteral("gateway")).toObject()
                                           .value(QStringLiteral("mail")).toObject();
        QCOMPARE(tabletView.value(QStringLiteral("ui")).toString(), QStringLiteral("foreground"));
        QCOMPARE(tabletView.value(QStringLiteral("scope")).toString(), QStringLiteral("account"));

        // The users list carries the account-wide report only.
        const auto users = f.http().get(QStringLiteral("/admin/v1/users"), f.helpdesk());
        QCOMPARE(users.status, 200);
        QJsonObject alice;
        for (const QJsonValue &u : QJsonDocument::fromJson(users.body).object().value(QStringLiteral("users")).toArray()) {
            if (u.toObject().value(QStringLiteral("name")).toString() == QLatin1String("alice"))
                alice = u.toObject();
        }
        const QJsonObject aliceMail = alice.value(QStringLiteral("gateway")).toObject().value(QStringLiteral("mail")).toObject();
        QCOMPARE(aliceMail.value(QStringLiteral("ui")).toString(), QStringLiteral("foreground"));
        QCOMPARE(aliceMail.value(QStringLiteral("scope")).toString(), QStringLiteral("account"));
        QCOMPARE(alice.value(QStringLiteral("gateway")).toObject().size(), 1);

        // The phone's own newer frames overrule its device report: the view says it no longer decides.
        auto session = sessionIn(f.delivery(), phone, UiState::Foreground);
        QVERIFY(session);
        QTRY_COMPARE(devices().value(QStringLiteral("phone")).value(QStringLiteral("gateway")).toObject()
                         .value(QStringLiteral("mail")).toObject().value(QStringLiteral("decides")).toBool(),
                     false);
    }

    void otherReportsBringPushesBack_data()
    {
        QTest::addColumn<QString>("ui");
        QTest::newRow("background") << "background";
        QTest::newRow("closed") << "closed";
        QTest::newRow("disconnected") << "disconnected";
    }
    void otherReportsBringPushesBack()
    {
        QFETCH(QString, ui);
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString gateway = addGateway(f);
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        QCOMPARE(postPresence(f, gateway, report(QStringLiteral("foreground"))), 200);
        QCOMPARE(postPresence(f, gateway, report(ui)), 200); // replaces the foreground report
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_COMPARE(f.pushes(id).size(), 1);
        QTRY_COMPARE(f.deliveries(id), QStringList{QStringLiteral("phone:delivered:push")});
    }

    void expiredReportBringsPushesBack()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString gateway = addGateway(f);
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        const QDateTime reported = QDateTime::currentDateTimeUtc();
        QCOMPARE(postPresence(f, gateway, report(QStringLiteral("foreground"), {}, 1)), 200);
        QString first;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &first), 202);
        QTRY_COMPARE(f.deliveries(first), QStringList{QStringLiteral("phone:delivered:seen-in-app")});
        // The TTL is what is under test: wait until the report's second has passed on the clock.
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentDateTimeUtc() > reported.addMSecs(1200), 5000);
        QString second;
        QCOMPARE(f.postEvent(QStringLiteral("e-2"), &second), 202);
        QTRY_COMPARE(f.pushes(second).size(), 1);
    }

    void deviceReportBeatsAccountWide()
    {
        DeliveryFixture f({QStringLiteral("--target-policy"), QStringLiteral("all")});
        QVERIFY(f.start());
        const QString gateway = addGateway(f);
        const QString phone = f.registerDevice(QStringLiteral("phone"));
        const QString tablet = f.registerDevice(QStringLiteral("tablet"));
        QVERIFY(f.login(phone));
        QJsonArray reports{report(QStringLiteral("foreground")), report(QStringLiteral("background"), QStringLiteral("phone"))};
        QCOMPARE(postPresence(f, gateway, QJsonObject{{QStringLiteral("reports"), reports}}), 200);
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        // Read again on every try: the phone's push may still be on its way at the first read.
        auto rows = [&] {
            QStringList sorted = f.deliveries(id);
            sorted.sort();
            return sorted;
        };
        QTRY_COMPARE(rows(), (QStringList{QStringLiteral("phone:delivered:push"), QStringLiteral("tablet:delivered:seen-in-app")}));
        QCOMPARE(f.pushes(id).size(), 1);
    }

    void newerOfDeviceReportAndOwnFramesWins()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString gateway = addGateway(f);
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        // The terminal says foreground, then the gateway (newer) says this device is not looking.
        auto session = sessionIn(f, token, UiState::Foreground);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QCOMPARE(postPresence(f, gateway, report(QStringLiteral("background"), QStringLiteral("phone"))), 200);
        QString first;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &first), 202);
        QTRY_COMPARE(f.pushes(first).size(), 1);
        QVERIFY(delivered.isEmpty());
        // Now the terminal speaks again (newer): its foreground holds, and the news goes in-band.
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Foreground));
        QVERIFY(pingPong(session.get()));
        QString second;
        QCOMPARE(f.postEvent(QStringLiteral("e-2"), &second), 202);
        QTRY_COMPARE(delivered.size(), 1);
        QTRY_COMPARE(f.deliveries(second), QStringList{QStringLiteral("phone:delivered:inband")});
    }

    void tokenKindsAreKeptApart()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString gateway = addGateway(f);
        QJsonObject answer;
        // An event token reporting presence, a presence token posting events: 403 both ways.
        QCOMPARE(postPresence(f, f.sourceToken(), report(QStringLiteral("foreground")), &answer), 403);
        QCOMPARE(answer.value(QStringLiteral("error")).toString(), QStringLiteral("forbidden"));
        const QJsonObject event{{QStringLiteral("account"), QStringLiteral("alice")},
                                {QStringLiteral("app"), QStringLiteral("mail")},
                                {QStringLiteral("eventId"), QStringLiteral("x-1")}};
        const auto posted = f.http().post(QStringLiteral("/v1/events"), event, gateway);
        QCOMPARE(posted.status, 403);
        QVERIFY(posted.body.contains("\"forbidden\""));
        // No token, an unknown one, a revoked one: 401.
        QCOMPARE(postPresence(f, QString(), report(QStringLiteral("foreground"))), 401);
        QCOMPARE(postPresence(f, QString(43, QLatin1Char('A')), report(QStringLiteral("foreground"))), 401);
        const auto revoked = f.server().runCommand({QStringLiteral("source"), QStringLiteral("revoke"), QStringLiteral("rds")});
        QCOMPARE(revoked.exitCode, 0);
        QTRY_COMPARE(postPresence(f, gateway, report(QStringLiteral("foreground"))), 401);
        // The list says which kind each source is.
        const auto list = f.server().runCommand({QStringLiteral("source"), QStringLiteral("list")});
        QVERIFY(list.out.contains(QStringLiteral("rds\tpresence\t")));
        QVERIFY(list.out.contains(QStringLiteral("crm\tevents\t")));
        // add refuses kinds it does not know.
        const auto bad = f.server().runCommand(
            {QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--kind"), QStringLiteral("chat")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(QStringLiteral("--kind")));
    }

    void batchOfAThousandIsOneRequest()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString gateway = addGateway(f);
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        QJsonArray reports;
        for (int i = 0; i < 999; ++i) // a gateway reports users Herald does not know: ignored, listed
            reports.append(QJsonObject{{QStringLiteral("account"), QStringLiteral("user-%1").arg(i)},
                                       {QStringLiteral("app"), QStringLiteral("mail")},
                                       {QStringLiteral("ui"), QStringLiteral("background")},
                                       {QStringLiteral("device"), QStringLiteral("pc-%1.example.corp").arg(i)},
                                       {QStringLiteral("ttlSecs"), 300}});
        reports.append(report(QStringLiteral("foreground")));
        const QJsonObject body{{QStringLiteral("reports"), reports}};
        QVERIFY(QJsonDocument(body).toJson(QJsonDocument::Compact).size() > 64 * 1024); // past the default limit
        QJsonObject answer;
        QCOMPARE(postPresence(f, gateway, body, &answer), 200);
        QCOMPARE(answer.value(QStringLiteral("accepted")).toInt(), 1);
        const QJsonArray ignored = answer.value(QStringLiteral("ignored")).toArray();
        QCOMPARE(ignored.size(), 999);
        QCOMPARE(ignored.first().toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("unknown_account"));
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_COMPARE(f.deliveries(id), QStringList{QStringLiteral("phone:delivered:seen-in-app")});
    }

    void heraldTermPlaysAGateway()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString gateway = addGateway(f);
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        QProcess term;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HERALD_SOURCE_TOKEN"), gateway);
        term.setProcessEnvironment(env);
        term.start(qEnvironmentVariable("HERALD_TERM_BIN"),
                   {QStringLiteral("--server"), f.server().baseUrl(), QStringLiteral("--cacert"), f.server().certificatePath(),
                    QStringLiteral("presence"), QStringLiteral("alice"), QStringLiteral("mail"), QStringLiteral("foreground"),
                    QStringLiteral("--device"), QStringLiteral("phone"), QStringLiteral("--ttl"), QStringLiteral("120")});
        QVERIFY(term.waitForFinished(30000));
        QCOMPARE(term.exitCode(), 0);
        QCOMPARE(QJsonDocument::fromJson(term.readAllStandardOutput()).object().value(QStringLiteral("accepted")).toInt(), 1);
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_COMPARE(f.deliveries(id), QStringList{QStringLiteral("phone:delivered:seen-in-app")});
        // An event token is refused by the server, and herald-term says so.
        env.insert(QStringLiteral("HERALD_SOURCE_TOKEN"), f.sourceToken());
        term.setProcessEnvironment(env);
        term.start(qEnvironmentVariable("HERALD_TERM_BIN"),
                   {QStringLiteral("--server"), f.server().baseUrl(), QStringLiteral("--cacert"), f.server().certificatePath(),
                    QStringLiteral("presence"), QStringLiteral("alice"), QStringLiteral("mail"), QStringLiteral("closed")});
        QVERIFY(term.waitForFinished(30000));
        QCOMPARE(term.exitCode(), 1);
        QVERIFY(term.readAllStandardError().contains("forbidden"));
    }

    void badInputIsRefused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("mentions");
        auto one = [](const char *json) { return QByteArray(json); };
        QTest::newRow("not json") << one("{\"account\":") << 400 << "malformed_json" << "";
        QTest::newRow("array body") << one("[]") << 400 << "malformed_json" << "";
        QTest::newRow("no account") << one(R"({"app":"mail","ui":"foreground"})") << 400 << "missing_field" << "account";
        QTest::newRow("account number") << one(R"({"account":1,"app":"mail","ui":"foreground"})") << 400 << "wrong_type" << "account";
        QTest::newRow("account too long") << ("{\"account\":\"" + QByteArray(129, 'a') + R"(","app":"mail","ui":"foreground"})")
                                          << 400 << "invalid_value" << "account";
        QTest::newRow("app upper case") << one(R"({"account":"alice","app":"Mail","ui":"foreground"})") << 400 << "invalid_value" << "app";
        QTest::newRow("no ui") << one(R"({"account":"alice","app":"mail"})") << 400 << "missing_field" << "ui";
        QTest::newRow("ui unknown") << one(R"({"account":"alice","app":"mail","ui":"minimised"})") << 400 << "invalid_value" << "ui";
        QTest::newRow("device with space") << one(R"({"account":"alice","app":"mail","ui":"closed","device":"a b"})") << 400
                                           << "invalid_value" << "device";
        QTest::newRow("device number") << one(R"({"account":"alice","app":"mail","ui":"closed","device":7})") << 400
                                       << "wrong_type" << "device";
        QTest::newRow("ttl zero") << one(R"({"account":"alice","app":"mail","ui":"closed","ttlSecs":0})") << 400
                                  << "invalid_value" << "ttlSecs";
        QTest::newRow("ttl over an hour") << one(R"({"account":"alice","app":"mail","ui":"closed","ttlSecs":3601})") << 400
                                          << "invalid_value" << "ttlSecs";
        QTest::newRow("ttl fraction") << one(R"({"account":"alice","app":"mail","ui":"closed","ttlSecs":1.5})") << 400
                                      << "invalid_value" << "ttlSecs";
        QTest::newRow("ttl string") << one(R"({"account":"alice","app":"mail","ui":"closed","ttlSecs":"90"})") << 400
                                    << "wrong_type" << "ttlSecs";
        QTest::newRow("reports not array") << one(R"({"reports":{}})") << 400 << "wrong_type" << "reports";
        QTest::newRow("reports empty") << one(R"({"reports":[]})") << 400 << "invalid_value" << "reports";
        QTest::newRow("report not object") << one(R"({"reports":[{"account":"alice","app":"mail","ui":"closed"},3]})") << 400
                                           << "wrong_type" << "reports[1]";
        QTest::newRow("bad field deep in batch")
            << one(R"({"reports":[{"account":"alice","app":"mail","ui":"foreground"},{"account":"alice","app":"mail","ui":"x"}]})")
            << 400 << "invalid_value" << "reports[1].ui";
        QTest::newRow("both shapes") << one(R"({"account":"alice","app":"mail","ui":"closed","reports":[]})") << 400
                                     << "invalid_value" << "reports";
        QByteArray many = "{\"reports\":[";
        for (int i = 0; i < 1001; ++i)
            many += QByteArray(i ? "," : "") + R"({"account":"a","app":"m","ui":"closed"})";
        many += "]}";
        QTest::newRow("1001 reports") << many << 400 << "invalid_value" << "reports";
        QTest::newRow("over 512 KiB") << ("{\"account\":\"" + QByteArray(600 * 1024, 'a') + "\"}") << 413 << "payload_too_large" << "";
    }
    void badInputIsRefused()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, error);
        QFETCH(QString, mentions);
        if (!m_shared) {
            m_shared = std::make_unique<DeliveryFixture>();
            QVERIFY(m_shared->start());
            m_sharedGateway = addGateway(*m_shared);
            QVERIFY(!m_sharedGateway.isEmpty());
        }
        const auto reply = m_shared->http().request("POST", QStringLiteral("/v1/presence"), body, m_sharedGateway);
        QCOMPARE(reply.status, status);
        const QJsonObject answer = QJsonDocument::fromJson(reply.body).object();
        QCOMPARE(answer.value(QStringLiteral("error")).toString(), error);
        QVERIFY2(answer.value(QStringLiteral("message")).toString().contains(mentions), reply.body.constData());
    }

    void malformedBatchAppliesNothing()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString gateway = addGateway(f);
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        const QJsonArray reports{report(QStringLiteral("foreground")),
                                 QJsonObject{{QStringLiteral("account"), QStringLiteral("alice")}}};
        QCOMPARE(postPresence(f, gateway, QJsonObject{{QStringLiteral("reports"), reports}}), 400);
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_COMPARE(f.pushes(id).size(), 1); // the valid foreground report was not applied either
    }
};

QTEST_GUILESS_MAIN(tst_GatewayPresence)
#include "tst_gatewaypresence.moc"
