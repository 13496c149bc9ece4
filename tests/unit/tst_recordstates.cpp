// The storage enums (storage/RecordStates.h) and their text: every value survives toText() and
// parse…(), the text is exactly what the columns and the JSON have always held, and text they do
// not know (or an empty state) is rejected.
#include "RecordStatePrinting.h"

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

private slots:
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
};

QTEST_GUILESS_MAIN(tst_RecordStates)
#include "tst_recordstates.moc"
