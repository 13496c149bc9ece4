#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>

#include "presence/GatewayPresence.h"
#include "storage/RecordStates.h"

namespace herald {

struct AccountRecord;
struct AuditRecord;
struct DeviceRecord;
struct OperatorRecord;

// The JSON shapes of the admin API (docs/protocol.md), one place so every endpoint agrees.
namespace AdminJson {
QJsonValue time(const QDateTime &t); // ISO 8601 UTC with milliseconds, null when unset
QJsonObject account(const AccountRecord &account, int deviceCount);
QJsonObject device(const DeviceRecord &device);
QJsonObject operatorRecord(const OperatorRecord &op);
QJsonObject audit(const AuditRecord &entry);
// What a remote-app gateway reported (POST /v1/presence), beside the device's own state.
QJsonObject gatewayView(const GatewayPresence::View &view);
// Channels as the admin API spells them: storage's "inband" is "in-band" there (DeliveryChannel::None
// is ""); every other value and every state is spelt as stored (toText).
QString channel(DeliveryChannel channel);
QString channel(AttemptChannel channel);

// Account and operator names: the same rule as `herald-server user add`.
const QRegularExpression &namePattern();
constexpr int MaxNameLength = 128;
constexpr int MinPasswordLength = 8;
} // namespace AdminJson

} // namespace herald
