// The console's models and words without a server: live-feed frames change rows in place (and only
// the rows they name), the strongest presence wins, a delivery frame moves a notification's state,
// test-push verdicts read as the helpdesk needs them, and the cluster's nodes with their heartbeat's age. Rows are put in as the API would send them.
#include "AdminClient.h"
#include "ClusterModel.h"
#include "DevicesModel.h"
#include "NotificationsModel.h"
#include "TestPushVerdict.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

using namespace herald;

class tst_ConsoleModels : public QObject
{
    Q_OBJECT

private:
    static QJsonObject device(const QString &id, bool online, const QJsonObject &presence)
    {
        return {{QStringLiteral("deviceId"), id},
                {QStringLiteral("account"), QStringLiteral("alice")},
                {QStringLiteral("platform"), QStringLiteral("ios")},
                {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail"), QStringLiteral("chat")}},
                {QStringLiteral("online"), online},
                {QStringLiteral("presence"), presence},
                {QStringLiteral("pushTokenState"), QStringLiteral("active")},
                {QStringLiteral("pushToken"), QJsonObject{{QStringLiteral("state"), QStringLiteral("active")}}}};
    }

private Q_SLOTS:
    void overallPresence_data()
    {
        QTest::addColumn<bool>("online");
        QTest::addColumn<QJsonObject>("presence");
        QTest::addColumn<QString>("expected");
        QTest::newRow("nothing") << false << QJsonObject() << QStringLiteral("offline");
        QTest::newRow("session, no app") << true << QJsonObject() << QStringLiteral("online");
        QTest::newRow("one foreground wins")
            << true << QJsonObject{{QStringLiteral("mail"), QStringLiteral("closed")}, {QStringLiteral("chat"), QStringLiteral("foreground")}}
            << QStringLiteral("foreground");
        QTest::newRow("background over closed")
            << true << QJsonObject{{QStringLiteral("mail"), QStringLiteral("background")}, {QStringLiteral("chat"), QStringLiteral("closed")}}
            << QStringLiteral("background");
        QTest::newRow("closed, offline") << false << QJsonObject{{QStringLiteral("mail"), QStringLiteral("closed")}} << QStringLiteral("closed");
    }

    void overallPresence()
    {
        QFETCH(bool, online);
        QFETCH(QJsonObject, presence);
        QFETCH(QString, expected);
        QCOMPARE(DevicesModel::overallPresence(device(QStringLiteral("d"), online, presence)), expected);
    }

    void presenceFramesChangeTheirRowOnly()
    {
        AdminClient client;
        DevicesModel model(client);
        model.upsert(device(QStringLiteral("phone"), false, {}), true);
        model.upsert(device(QStringLiteral("tablet"), false, {}), true);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.applyFrame({{QStringLiteral("type"), QStringLiteral("presence")},
                          {QStringLiteral("deviceId"), QStringLiteral("phone")},
                          {QStringLiteral("online"), true},
                          {QStringLiteral("apps"), QJsonObject{{QStringLiteral("mail"), QStringLiteral("foreground")}}}});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), model.rowOf(QStringLiteral("phone")));
        QCOMPARE(reset.count(), 0);
        const int phone = model.rowOf(QStringLiteral("phone"));
        QCOMPARE(model.index(phone, DevicesModel::PresenceColumn).data().toString(), QStringLiteral("foreground"));
        QCOMPARE(model.index(phone, DevicesModel::AppsColumn).data().toString(), QStringLiteral("mail: foreground, chat"));
        QCOMPARE(model.index(model.rowOf(QStringLiteral("tablet")), DevicesModel::PresenceColumn).data().toString(),
                 QStringLiteral("offline"));

        // The session ends: every app is offline, whatever it was.
        model.applyFrame({{QStringLiteral("type"), QStringLiteral("presence")},
                          {QStringLiteral("deviceId"), QStringLiteral("phone")},
                          {QStringLiteral("online"), false}});
        QCOMPARE(model.index(phone, DevicesModel::PresenceColumn).data().toString(), QStringLiteral("offline"));
        QCOMPARE(model.index(phone, DevicesModel::AppsColumn).data().toString(), QStringLiteral("mail: offline, chat"));

        // Frames for devices that are not loaded, of other types, or without fields change nothing.
        changed.clear();
        model.applyFrame({{QStringLiteral("type"), QStringLiteral("presence")}, {QStringLiteral("deviceId"), QStringLiteral("nope")}});
        model.applyFrame({{QStringLiteral("type"), QStringLiteral("provider")}, {QStringLiteral("deviceId"), QStringLiteral("phone")}});
        model.applyFrame({});
        QCOMPARE(changed.count(), 0);
        QCOMPARE(model.rowCount(), 2);
    }

    void clusterNodesAliveStoppedAndAged()
    {
        AdminClient client;
        ClusterModel model(client);
        const auto node = [](const QString &name, bool alive, bool self, double ageMs) {
            return QJsonObject{{QStringLiteral("node"), name},
                               {QStringLiteral("address"), QStringLiteral("10.0.0.7:7443")},
                               {QStringLiteral("version"), QStringLiteral("0.2.0")},
                               {QStringLiteral("startedAt"), QStringLiteral("2026-01-31T11:00:00.000Z")},
                               {QStringLiteral("heartbeatAt"), QStringLiteral("2026-01-31T12:00:00.000Z")},
                               {QStringLiteral("heartbeatAgeMs"), ageMs},
                               {QStringLiteral("alive"), alive},
                               {QStringLiteral("sessions"), 12},
                               {QStringLiteral("monitors"), 3},
                               {QStringLiteral("self"), self}};
        };
        model.upsert(node(QStringLiteral("a"), true, true, 400), true);
        model.upsert(node(QStringLiteral("b"), false, false, 75'000), true);
        const int a = model.rowOf(QStringLiteral("a")), b = model.rowOf(QStringLiteral("b"));
        QCOMPARE(model.index(a, ClusterModel::NodeColumn).data().toString(), QStringLiteral("a (this node)"));
        QCOMPARE(model.index(b, ClusterModel::NodeColumn).data().toString(), QStringLiteral("b"));
        QCOMPARE(model.index(a, ClusterModel::AddressColumn).data().toString(), QStringLiteral("10.0.0.7:7443"));
        QCOMPARE(model.index(a, ClusterModel::StatusColumn).data().toString(), QStringLiteral("Alive"));
        QCOMPARE(model.index(b, ClusterModel::StatusColumn).data().toString(), QStringLiteral("Stopped"));
        QVERIFY(!model.index(b, ClusterModel::StatusColumn).data(Qt::ToolTipRole).toString().isEmpty());
        QCOMPARE(model.index(a, ClusterModel::SessionsColumn).data().toInt(), 12);
        QCOMPARE(model.index(a, ClusterModel::MonitorsColumn).data().toInt(), 3);
        QCOMPARE(model.index(a, ClusterModel::LastHeartbeatColumn).data().toString(), QStringLiteral("just now"));
        QCOMPARE(model.index(b, ClusterModel::LastHeartbeatColumn).data().toString(), QStringLiteral("75 s ago"));
        QVERIFY(!model.index(a, ClusterModel::HeartbeatAtColumn).data().toString().contains(QStringLiteral("—")));
        QCOMPARE(model.index(b, ClusterModel::LastHeartbeatColumn).data(ApiListModel::SortRole).toDouble(), 75'000.0);
        QCOMPARE(ClusterModel::age(3 * 60'000), QStringLiteral("3 min ago"));
        QCOMPARE(ClusterModel::age(5 * 3600'000), QStringLiteral("5 h ago"));
        QCOMPARE(ClusterModel::age(3 * 86400'000LL), QStringLiteral("3 d ago"));
        QCOMPARE(ClusterModel::age(-5000), QStringLiteral("just now"));
    }

    void onlyTheSessionsNodeTakesADeviceOffline()
    {
        // A cluster: the terminal left node a for node b; a's word that its old session ended comes
        // after b's that the new one is there.
        AdminClient client;
        DevicesModel model(client);
        model.upsert(device(QStringLiteral("phone"), false, {}), true);
        auto frame = [](const QString &node, bool online) {
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("presence")},
                               {QStringLiteral("deviceId"), QStringLiteral("phone")},
                               {QStringLiteral("node"), node},
                               {QStringLiteral("online"), online},
                               {QStringLiteral("apps"), QJsonObject{{QStringLiteral("mail"), online ? QStringLiteral("background")
                                                                                                    : QStringLiteral("offline")}}}};
        };
        const int phone = model.rowOf(QStringLiteral("phone"));
        const QModelIndex presence = model.index(phone, DevicesModel::PresenceColumn);
        model.applyFrame(frame(QStringLiteral("a"), true));
        model.applyFrame(frame(QStringLiteral("b"), true));
        model.applyFrame(frame(QStringLiteral("a"), false));
        QCOMPARE(presence.data().toString(), QStringLiteral("background"));
        QCOMPARE(presence.data(Qt::ToolTipRole).toString(), QStringLiteral("Session on node b"));
        model.applyFrame(frame(QStringLiteral("b"), false));
        QCOMPARE(presence.data().toString(), QStringLiteral("offline"));
        QVERIFY(presence.data(Qt::ToolTipRole).isNull());
    }

    void tokenRetirementShowsTheReason()
    {
        AdminClient client;
        DevicesModel model(client);
        model.upsert(device(QStringLiteral("phone"), false, {}), true);
        model.applyFrame({{QStringLiteral("type"), QStringLiteral("token-retired")},
                          {QStringLiteral("deviceId"), QStringLiteral("phone")},
                          {QStringLiteral("reason"), QStringLiteral("Unregistered")},
                          {QStringLiteral("at"), QStringLiteral("2026-12-04T10:00:00.000Z")}});
        const QModelIndex token = model.index(0, DevicesModel::TokenColumn);
        QCOMPARE(token.data().toString(), QStringLiteral("retired (Unregistered)"));
        QVERIFY(token.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Unregistered")));
    }

    void gatewayReportsShowBesideTheDevicesOwnState()
    {
        AdminClient client;
        DevicesModel model(client);
        QJsonObject phone = device(QStringLiteral("phone"), true, {{QStringLiteral("mail"), QStringLiteral("background")}});
        phone.insert(QStringLiteral("gateway"),
                     QJsonObject{{QStringLiteral("mail"),
                                  QJsonObject{{QStringLiteral("ui"), QStringLiteral("foreground")},
                                              {QStringLiteral("scope"), QStringLiteral("account")},
                                              {QStringLiteral("at"), QStringLiteral("2026-12-04T10:00:00.000Z")},
                                              {QStringLiteral("expiresAt"), QStringLiteral("2026-12-04T10:01:30.000Z")},
                                              {QStringLiteral("decides"), true}}}});
        model.upsert(phone, true);
        model.upsert(device(QStringLiteral("tablet"), false, {}), true);
        const int row = model.rowOf(QStringLiteral("phone"));
        // The device's own frames and the gateway's report stay apart: both are visible.
        QCOMPARE(model.index(row, DevicesModel::AppsColumn).data().toString(), QStringLiteral("mail: background, chat"));
        QCOMPARE(model.index(row, DevicesModel::GatewayColumn).data().toString(),
                 QStringLiteral("mail: foreground (whole account)"));
        const QString tip = model.index(row, DevicesModel::GatewayColumn).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("decides deliveries")), qPrintable(tip));
        // Without a report: a dash, no tooltip.
        const int tablet = model.rowOf(QStringLiteral("tablet"));
        QCOMPARE(model.index(tablet, DevicesModel::GatewayColumn).data().toString(), QStringLiteral("—"));
        QVERIFY(!model.index(tablet, DevicesModel::GatewayColumn).data(Qt::ToolTipRole).isValid());
        // A device-scoped report that its own newer frames overrule says so.
        phone.insert(QStringLiteral("gateway"),
                     QJsonObject{{QStringLiteral("mail"), QJsonObject{{QStringLiteral("ui"), QStringLiteral("disconnected")},
                                                                     {QStringLiteral("scope"), QStringLiteral("device")},
                                                                     {QStringLiteral("decides"), false}}}});
        model.upsert(phone, false);
        QCOMPARE(model.index(row, DevicesModel::GatewayColumn).data().toString(), QStringLiteral("mail: disconnected"));
        QVERIFY(model.index(row, DevicesModel::GatewayColumn).data(Qt::ToolTipRole).toString().contains(
            QStringLiteral("own state decides")));
    }

    void notificationFramesInsertAndSettle()
    {
        AdminClient client;
        NotificationsModel model(client);
        model.applyFrame({{QStringLiteral("type"), QStringLiteral("notification")},
                          {QStringLiteral("id"), QStringLiteral("n1")},
                          {QStringLiteral("account"), QStringLiteral("alice")},
                          {QStringLiteral("app"), QStringLiteral("mail")}});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, NotificationsModel::StateColumn).data().toString(), QStringLiteral("pending"));
        // The same notification again (a repeated frame) is not a second row.
        model.applyFrame({{QStringLiteral("type"), QStringLiteral("notification")}, {QStringLiteral("id"), QStringLiteral("n1")}});
        QCOMPARE(model.rowCount(), 1);
        auto delivery = [](const QString &id, const QString &device, const QString &state) {
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("delivery")},
                               {QStringLiteral("notificationId"), QStringLiteral("n1")},
                               {QStringLiteral("deliveryId"), id},
                               {QStringLiteral("deviceId"), device},
                               {QStringLiteral("channel"), QStringLiteral("push")},
                               {QStringLiteral("state"), state},
                               {QStringLiteral("detail"), QStringLiteral("apns: 400 BadExpirationDate")}};
        };
        model.applyFrame(delivery(QStringLiteral("d1"), QStringLiteral("phone"), QStringLiteral("delivered")));
        QCOMPARE(model.index(0, NotificationsModel::StateColumn).data().toString(), QStringLiteral("delivered"));
        model.applyFrame(delivery(QStringLiteral("d2"), QStringLiteral("tablet"), QStringLiteral("failed")));
        QCOMPARE(model.index(0, NotificationsModel::StateColumn).data().toString(), QStringLiteral("failed"));
        // A notification the user opened says so, whatever its deliveries did.
        QJsonObject opened = model.object(0);
        opened.insert(QStringLiteral("state"), QStringLiteral("opened"));
        model.upsert(opened);
        QCOMPARE(model.index(0, NotificationsModel::StateColumn).data().toString(), QStringLiteral("opened"));
        QCOMPARE(model.index(0, NotificationsModel::DeliveriesColumn).data().toString(),
                 QStringLiteral("phone delivered, tablet failed"));
        // Privacy: nothing was sent, nothing is shown, and the cell says why.
        QVERIFY(model.index(0, NotificationsModel::ContentColumn).data().toString().contains(QStringLiteral("privacy")));

        // A list of failed notifications does not take new (pending) ones.
        NotificationsModel failedOnly(client);
        failedOnly.setStateFilter(QStringLiteral("failed"));
        failedOnly.applyFrame({{QStringLiteral("type"), QStringLiteral("notification")}, {QStringLiteral("id"), QStringLiteral("n2")}});
        QCOMPARE(failedOnly.rowCount(), 0);
    }

    void verdictsInPlainWords_data()
    {
        QTest::addColumn<QJsonObject>("verdict");
        QTest::addColumn<QString>("words");
        QTest::addColumn<bool>("good");
        QTest::newRow("in-band") << QJsonObject{{QStringLiteral("channel"), QStringLiteral("in-band")},
                                                {QStringLiteral("delivered"), true},
                                                {QStringLiteral("acked"), true},
                                                {QStringLiteral("ms"), 40}}
                                 << QStringLiteral("Delivered in-band and acknowledged in 40 ms.") << true;
        QTest::newRow("apns") << QJsonObject{{QStringLiteral("channel"), QStringLiteral("push")},
                                             {QStringLiteral("delivered"), true},
                                             {QStringLiteral("provider"), QStringLiteral("push.apns")},
                                             {QStringLiteral("status"), 200},
                                             {QStringLiteral("ms"), 12}}
                              << QStringLiteral("APNs accepted it (in 12 ms). The phone shows it when it is online.") << true;
        QTest::newRow("dead token") << QJsonObject{{QStringLiteral("channel"), QStringLiteral("push")},
                                                   {QStringLiteral("delivered"), false},
                                                   {QStringLiteral("provider"), QStringLiteral("push.apns")},
                                                   {QStringLiteral("status"), 410},
                                                   {QStringLiteral("reason"), QStringLiteral("Unregistered")}}
                                    << QStringLiteral("The phone's push token is no longer valid: Unregistered — ask the user "
                                                      "to open the app, which registers a new one.")
                                    << false;
        QTest::newRow("fcm auth") << QJsonObject{{QStringLiteral("channel"), QStringLiteral("push")},
                                                 {QStringLiteral("delivered"), false},
                                                 {QStringLiteral("provider"), QStringLiteral("push.fcm")},
                                                 {QStringLiteral("status"), 401},
                                                 {QStringLiteral("reason"), QStringLiteral("UNAUTHENTICATED")}}
                                  << QStringLiteral("FCM refused Herald's credentials or app settings (UNAUTHENTICATED, status 401): the "
                                                    "server's administrator must check the provider's key, team and topic.")
                                  << false;
        QTest::newRow("ack timeout, then push")
            << QJsonObject{{QStringLiteral("channel"), QStringLiteral("in-band")},
                           {QStringLiteral("delivered"), false},
                           {QStringLiteral("acked"), false},
                           {QStringLiteral("ms"), 5000},
                           {QStringLiteral("fallback"), QJsonObject{{QStringLiteral("channel"), QStringLiteral("push")},
                                                                    {QStringLiteral("delivered"), true},
                                                                    {QStringLiteral("provider"), QStringLiteral("push.apns")},
                                                                    {QStringLiteral("ms"), 9}}}}
            << QStringLiteral("The app was in the foreground but did not acknowledge within 5000 ms, so it was sent as a "
                              "push: APNs accepted it (in 9 ms). The phone shows it when it is online.")
            << true;
        QTest::newRow("no provider") << QJsonObject{{QStringLiteral("channel"), QStringLiteral("none")},
                                                    {QStringLiteral("delivered"), false},
                                                    {QStringLiteral("reason"), QStringLiteral("no_provider")}}
                                     << QStringLiteral("No push provider is configured for this device's platform, and the app "
                                                       "is not in the foreground.")
                                     << false;
        QTest::newRow("apns busy") << QJsonObject{{QStringLiteral("channel"), QStringLiteral("push")},
                                                  {QStringLiteral("delivered"), false},
                                                  {QStringLiteral("provider"), QStringLiteral("push.apns")},
                                                  {QStringLiteral("status"), 503},
                                                  {QStringLiteral("reason"), QStringLiteral("ServiceUnavailable")}}
                                   << QStringLiteral("APNs is busy or having trouble (status 503); nothing is wrong with the "
                                                     "phone. Try again in a few minutes.")
                                   << false;
        QTest::newRow("empty answer") << QJsonObject() << QStringLiteral("Not delivered; the server gave no reason.") << false;
    }

    void verdictsInPlainWords()
    {
        QFETCH(QJsonObject, verdict);
        QFETCH(QString, words);
        QFETCH(bool, good);
        QCOMPARE(TestPushVerdict::describe(verdict), words);
        QCOMPARE(TestPushVerdict::succeeded(verdict), good);
    }
};

QTEST_MAIN(tst_ConsoleModels)
#include "tst_consolemodels.moc"
