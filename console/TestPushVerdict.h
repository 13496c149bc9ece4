#pragma once

#include <QJsonObject>
#include <QString>

namespace herald {

// The answer of POST /admin/v1/test-push in words a helpdesk agent can repeat to the user:
// "Delivered in-band and acknowledged in 40 ms", "APNs accepted it", "The phone's push token is
// no longer valid: Unregistered — ask the user to open the app".
namespace TestPushVerdict {
QString describe(const QJsonObject &verdict);
// True when the notification reached the device or its provider accepted it.
bool succeeded(const QJsonObject &verdict);
// "APNs", "FCM", or the provider's configured name.
QString providerName(const QString &provider);
} // namespace TestPushVerdict

} // namespace herald
