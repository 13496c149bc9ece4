#pragma once

#include <QIcon>
#include <QJsonValue>
#include <QString>

class QTableView;

namespace herald {

// Small shared helpers of the pages: how times, states and presence look, and table set-up.
namespace ConsoleFormat {
// An API time (ISO 8601 UTC) in the user's locale and time zone; "—" when absent.
QString dateTime(const QJsonValue &value);
// The same time as a sortable value (milliseconds since the epoch; 0 when absent).
qint64 sortTime(const QJsonValue &value);
// Presence of an app or device in words: foreground, background, closed, offline, online.
QString presence(const QString &state);
// A round status dot ("failed" too); the colours mean the same on light and dark palettes.
QIcon presenceIcon(const QString &state);
// Notification and delivery states, channels and push-token states in words.
QString state(const QString &state);
QString channel(const QJsonValue &channel);
QString role(const QString &role);
// A remote-app gateway's reports ("gateway" of a device or user: app -> {ui, scope, at, expiresAt,
// decides}) in one line, "mail: foreground (whole account)", and in detail for a tooltip.
QString gatewayReports(const QJsonValue &gateway);
QString gatewayTooltip(const QJsonValue &gateway);
// Read-only, row-selecting, sortable table look shared by every list.
void prepareView(QTableView *view);
} // namespace ConsoleFormat

} // namespace herald
