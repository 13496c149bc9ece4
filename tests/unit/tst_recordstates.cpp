// The storage enums (storage/RecordStates.h) and their text: every value survives toText() and
// parse…(), the text is exactly what the columns and the JSON have always held, and text they do
// not know (or an empty state) is rejected. Read from the database, such text fails the read with
// lastError() set and a herald.storage warning, instead of turning into some default state.
#include "RecordStatePrinting.h"
#include "SqlRows.h"
#include "storage/SqliteStorage.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace herald;

namespace {

// Every value of E in declaration order, with the text storage and the wire use for it.
template <typename E> using Spellings = QList<std::pair<E, QString>>;

const Spellings<DeliveryState> kDeliveryStates{{DeliveryState::Pending, QStringLiteral("pending")},
                                               {DeliveryState::InBand, QStringLiteral("inband")},
                                               {DeliveryState::Push, QStringLiteral("push")},
                                               {DeliveryState::Retry, QStringLiteral("retry")},
                                               {DeliveryState::Delivered, QStringLiteral("delivered")},
                                               {DeliveryState::Failed, QStringLiteral("failed")},
                                               {DeliveryState::Cancelled, QStringLiteral("cancelled")}};
const Spellings<DeliveryChannel> kDeliveryChannels{
    {DeliveryChannel::None, QStringLiteral("")},
    {DeliveryChannel::InBand, QStringLiteral("inband")},
    {DeliveryChannel::Push, QStringLiteral("push")},
    {DeliveryChannel::SeenInApp, QStringLiteral("seen-in-app")}};
const Spellings<AttemptChannel> kAttemptChannels{{AttemptChannel::InBand, QStringLiteral("inband")},
                                                 {AttemptChannel::Push, QStringLiteral("push")},
                                                 {AttemptChannel::Gateway, QStringLiteral("gateway")}};
const Spellings<NotificationState> kNotificationStates{
    {NotificationState::Active, QStringLiteral("active")},
    {NotificationState::Opened, QStringLiteral("opened")},
    {NotificationState::Suppressed, QStringLiteral("suppressed")},
    {NotificationState::Expired, QStringLiteral("expired")},
    {NotificationState::Test, QStringLiteral("test")}};
const Spellings<PushTokenState> kPushTokenStates{{PushTokenState::Active, QStringLiteral("active")},
                                                 {PushTokenState::Retired, QStringLiteral("retired")}};

// The tables above must name every enumerator: they are numbered from 0 without gaps, so the
// last one's number plus one is the count.
template <typename E> bool coversAll(const Spellings<E> &table, E last)
{
    for (int i = 0; i < table.size(); ++i) {
        if (int(table.at(i).first) != i)
            return false;
    }
    return table.size() == int(last) + 1;
}

template <typename E> void checkRoundTrip(const Spellings<E> &table, std::optional<E> (*parse)(QStringView))
{
    for (const auto &[value, text] : table) {
        QCOMPARE(toText(value), text);
        const std::optional<E> back = parse(text);
        QVERIFY2(back.has_value(), qPrintable(text));
        QCOMPARE(*back, value);
    }
}

template <typename E> void checkRejects(std::optional<E> (*parse)(QStringView), bool emptyIsAValue)
{
    // Other case, stray spaces, the admin API's spelling of in-band, and words of other enums.
    for (const char *unknown :
         {"PENDING", "Active", " push", "push ", "in-band", "unread", "sent", "none", "bogus"})
        QVERIFY2(!parse(QString::fromLatin1(unknown)).has_value(), unknown);
    QCOMPARE(parse(QString()).has_value(), emptyIsAValue);
    QCOMPARE(parse(QStringLiteral("")).has_value(), emptyIsAValue);
}

} // namespace

class tst_RecordStates : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void tablesCoverEveryValue()
    {
        QVERIFY(coversAll(kDeliveryStates, DeliveryState::Cancelled));
        QVERIFY(coversAll(kDeliveryChannels, DeliveryChannel::SeenInApp));
        QVERIFY(coversAll(kAttemptChannels, AttemptChannel::Gateway));
        QVERIFY(coversAll(kNotificationStates, NotificationState::Test));
        QVERIFY(coversAll(kPushTokenStates, PushTokenState::Retired));
    }

    void roundTrip()
    {
        checkRoundTrip(kDeliveryStates, parseDeliveryState);
        checkRoundTrip(kDeliveryChannels, parseDeliveryChannel);
        checkRoundTrip(kAttemptChannels, parseAttemptChannel);
        checkRoundTrip(kNotificationStates, parseNotificationState);
        checkRoundTrip(kPushTokenStates, parsePushTokenState);
    }

    void unknownAndEmptyTextRejected()
    {
        checkRejects(parseDeliveryState, false);
        checkRejects(parseDeliveryChannel, true); // '' is a delivery not routed yet
        checkRejects(parseAttemptChannel, false);
        checkRejects(parseNotificationState, false);
        checkRejects(parsePushTokenState, false);
    }

    void openAndDeliverable()
    {
        const QList<DeliveryState> open{DeliveryState::Pending, DeliveryState::InBand, DeliveryState::Push,
                                        DeliveryState::Retry};
        for (const auto &[state, text] : kDeliveryStates)
            QCOMPARE(isOpen(state), open.contains(state));
        for (const auto &[state, text] : kNotificationStates)
            QCOMPARE(isDeliverable(state),
                     state == NotificationState::Active || state == NotificationState::Test);
    }

    // A state column holding text this version does not know fails the read and says where.
    void unknownTextInTheDatabaseIsAnError()
    {
        const QString path = m_dir.filePath(QStringLiteral("unknown.sqlite"));
        SqliteStorage storage(path);
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        const auto account = storage.createAccount(QStringLiteral("alice"), QStringLiteral("x"));
        QVERIFY(account);
        DeviceRecord device;
        device.accountId = *account;
        device.deviceId = QStringLiteral("phone");
        device.platform = QStringLiteral("ios");
        device.tokenHash = "hash-phone";
        device.apps = {QStringLiteral("mail")};
        QVERIFY(storage.upsertDevice(device));
        NotificationRecord n;
        n.id = QStringLiteral("n1");
        n.accountId = *account;
        n.app = QStringLiteral("mail");
        n.source = QStringLiteral("test");
        n.eventId = QStringLiteral("e1");
        n.receivedAt = n.createdAt = QDateTime::currentDateTimeUtc();
        n.expiresAt = n.createdAt.addDays(1);
        QVERIFY(storage.insertNotification(n));
        DeliveryRecord d;
        d.id = QStringLiteral("d1");
        d.notificationId = n.id;
        d.deviceId = device.id;
        QVERIFY(storage.insertDelivery(d));
        QVERIFY(
            storage.addDeliveryAttempt({d.id, AttemptChannel::InBand, QStringLiteral("sent"), {}, {}, {}}));

        // What was written reads back as written.
        QCOMPARE(storage.deliveryById(d.id)->state, DeliveryState::Pending);
        QCOMPARE(storage.deliveryById(d.id)->channel, DeliveryChannel::None);
        QCOMPARE(storage.notificationById(n.id)->state, NotificationState::Active);
        QCOMPARE(storage.deviceById(device.id)->pushTokenState, PushTokenState::Active);
        QCOMPARE(storage.deliveryAttempts(d.id)->constFirst().channel, AttemptChannel::InBand);

        // Then another program (a newer Herald, a hand edit) writes words this one does not know.
        const QStringList edits{QStringLiteral("UPDATE deliveries SET state = 'parked'"),
                                QStringLiteral("UPDATE notifications SET state = ''"),
                                QStringLiteral("UPDATE devices SET push_token_state = 'Retired'"),
                                QStringLiteral("UPDATE delivery_attempts SET channel = 'in-band'")};
        for (const QString &sql : edits)
            QVERIFY2(test::sqlRows(path, sql, &error), qPrintable(error));

        const auto expectWarning = [] {
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^unreadable row: ")));
        };
        expectWarning();
        QVERIFY(!storage.deliveryById(d.id));
        QCOMPARE(
            storage.lastError(),
            QStringLiteral("delivery d1: deliveries.state holds 'parked', which this version does not know"));
        expectWarning();
        QVERIFY(!storage.openDeliveries(10));
        QVERIFY(storage.lastError().contains(QLatin1String("deliveries.state")));
        // A claim leaves the unreadable row out (logged) and goes on past it: the rest of the
        // outbox is still pushed.
        Storage::OpenDeliveryCursor cursor;
        expectWarning();
        const auto claimed = storage.claimOpenDeliveries(&cursor, QDateTime::currentMSecsSinceEpoch(), 10);
        QVERIFY(claimed);
        QVERIFY(claimed->isEmpty());
        QVERIFY(cursor.rowId > 0);
        QVERIFY(storage.lastError().contains(QLatin1String("deliveries.state")));

        expectWarning();
        QVERIFY(!storage.notificationById(n.id));
        QVERIFY(storage.lastError().contains(QLatin1String("notifications.state holds ''")));

        expectWarning();
        QVERIFY(!storage.deviceById(device.id));
        QVERIFY(storage.lastError().contains(QLatin1String("devices.push_token_state holds 'Retired'")));
        expectWarning();
        QVERIFY(!storage.findDevices(DeviceFilter{}, 0, 10));
        expectWarning();
        QVERIFY(!storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail")));

        expectWarning();
        QVERIFY(!storage.deliveryAttempts(d.id));
        QVERIFY(storage.lastError().contains(QLatin1String("delivery_attempts.channel holds 'in-band'")));
    }
};

QTEST_GUILESS_MAIN(tst_RecordStates)
#include "tst_recordstates.moc"
