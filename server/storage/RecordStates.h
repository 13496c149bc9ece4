#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace herald {

// The states the outbox and the devices table keep, as types: a misspelt state is a compile error,
// not a row that no query finds. Their text exists only where it leaves the process: the columns
// (SqliteStorage binds and reads it here) and the JSON, logs and metric labels, which spell it
// exactly as the columns do (the admin API renames "inband" to "in-band"; AdminJson does that).
//
// parse…() answers nullopt for text it does not know: a row written by a newer Herald or edited by
// hand is an error the storage reports, never quietly some default state.

// Where one delivery (one notification to one device) stands.
enum class DeliveryState
{
    Pending,   // waiting to be routed, or pushed and its outcome not written yet (a restart resends it)
    InBand,    // a deliver frame is out, waiting for the ack
    Push,      // handed to a push provider
    Retry,     // the provider asked for later; nextAttemptAt says when
    Delivered, // final
    Failed,    // final
    Cancelled, // final
};

// How a delivery was (or is being) delivered.
enum class DeliveryChannel
{
    None,      // not routed yet (stored as '')
    InBand,    // over the terminal's session
    Push,      // through a push provider
    SeenInApp, // a gateway reported the app in the foreground: nothing was sent
};

// Which path one delivery attempt (a delivery_attempts row) took.
enum class AttemptChannel
{
    InBand,
    Push,
    Gateway, // a remote-app gateway's report (outcome seen-in-app)
};

// Where one notification stands.
enum class NotificationState
{
    Active,     // unread
    Opened,     // opened on one of the account's devices
    Suppressed, // no login for its app when it arrived: stored, never delivered
    Expired,
    Test, // an operator's test push: routed like Active, never listed or counted as unread
};

// A device's push token.
enum class PushTokenState
{
    Active,
    Retired, // a provider said it is dead; no pushes until the device registers again
};

// toText, not toString: QTest looks a toString(T) up by argument-dependent lookup for QCOMPARE's
// messages and wants it to return char * (tests/support/RecordStatePrinting.h provides those).
QString toText(DeliveryState state);
QString toText(DeliveryChannel channel); // None is ""
QString toText(AttemptChannel channel);
QString toText(NotificationState state);
QString toText(PushTokenState state);

std::optional<DeliveryState> parseDeliveryState(QStringView text);
std::optional<DeliveryChannel> parseDeliveryChannel(QStringView text); // "" is None
std::optional<AttemptChannel> parseAttemptChannel(QStringView text);
std::optional<NotificationState> parseNotificationState(QStringView text);
std::optional<PushTokenState> parsePushTokenState(QStringView text);

// Not finished yet: Pending, InBand, Push or Retry (the rows a restart resumes).
constexpr bool isOpen(DeliveryState state)
{
    return state != DeliveryState::Delivered && state != DeliveryState::Failed &&
           state != DeliveryState::Cancelled;
}

// Routed and delivered like an ordinary notification (an opened, suppressed or expired one is not).
constexpr bool isDeliverable(NotificationState state)
{
    return state == NotificationState::Active || state == NotificationState::Test;
}

} // namespace herald
