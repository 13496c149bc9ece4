#include "storage/RecordStates.h"

namespace herald {
namespace {

// One table per type, written once: toText and parse… read the same rows, so they cannot drift.
template <typename E> struct Spelling
{
    E value;
    const char *text;
};

constexpr Spelling<DeliveryState> DeliveryStates[] = {
    {DeliveryState::Pending, "pending"},     {DeliveryState::InBand, "inband"},
    {DeliveryState::Push, "push"},           {DeliveryState::Retry, "retry"},
    {DeliveryState::Delivered, "delivered"}, {DeliveryState::Failed, "failed"},
    {DeliveryState::Cancelled, "cancelled"},
};

constexpr Spelling<DeliveryChannel> DeliveryChannels[] = {
    {DeliveryChannel::None, ""},
    {DeliveryChannel::InBand, "inband"},
    {DeliveryChannel::Push, "push"},
    {DeliveryChannel::SeenInApp, "seen-in-app"},
};

constexpr Spelling<AttemptChannel> AttemptChannels[] = {
    {AttemptChannel::InBand, "inband"},
    {AttemptChannel::Push, "push"},
    {AttemptChannel::Gateway, "gateway"},
};

constexpr Spelling<NotificationState> NotificationStates[] = {
    {NotificationState::Active, "active"},
    {NotificationState::Opened, "opened"},
    {NotificationState::Suppressed, "suppressed"},
    {NotificationState::Expired, "expired"},
    {NotificationState::Test, "test"},
};

constexpr Spelling<PushTokenState> PushTokenStates[] = {
    {PushTokenState::Active, "active"},
    {PushTokenState::Retired, "retired"},
};

template <typename E, size_t N> QString textOf(const Spelling<E> (&table)[N], E value)
{
    for (const Spelling<E> &row : table) {
        if (row.value == value)
            return QString::fromLatin1(row.text);
    }
    Q_UNREACHABLE(); // every enumerator has its row; tst_recordstates checks each one
    return {};
}

template <typename E, size_t N> std::optional<E> valueOf(const Spelling<E> (&table)[N], QStringView text)
{
    for (const Spelling<E> &row : table) {
        if (text == QLatin1String(row.text))
            return row.value;
    }
    return std::nullopt;
}

} // namespace

QString toText(DeliveryState state)
{
    return textOf(DeliveryStates, state);
}
QString toText(DeliveryChannel channel)
{
    return textOf(DeliveryChannels, channel);
}
QString toText(AttemptChannel channel)
{
    return textOf(AttemptChannels, channel);
}
QString toText(NotificationState state)
{
    return textOf(NotificationStates, state);
}
QString toText(PushTokenState state)
{
    return textOf(PushTokenStates, state);
}

std::optional<DeliveryState> parseDeliveryState(QStringView text)
{
    return valueOf(DeliveryStates, text);
}
std::optional<DeliveryChannel> parseDeliveryChannel(QStringView text)
{
    return valueOf(DeliveryChannels, text);
}
std::optional<AttemptChannel> parseAttemptChannel(QStringView text)
{
    return valueOf(AttemptChannels, text);
}
std::optional<NotificationState> parseNotificationState(QStringView text)
{
    return valueOf(NotificationStates, text);
}
std::optional<PushTokenState> parsePushTokenState(QStringView text)
{
    return valueOf(PushTokenStates, text);
}

} // namespace herald
