#include "admin/PushVerdictText.h"

namespace herald::PushVerdictText {
namespace {

QString service(const QString &provider)
{
    if (provider.endsWith(QLatin1String("apns")))
        return QStringLiteral("APNs");
    if (provider.endsWith(QLatin1String("fcm")))
        return QStringLiteral("FCM");
    return QStringLiteral("The push provider (%1)").arg(provider);
}

QString why(int status, const QString &reason)
{
    if (!reason.isEmpty())
        return reason;
    return status ? QStringLiteral("HTTP %1").arg(status) : QStringLiteral("no answer");
}

} // namespace

QString describe(const QString &provider, int status, const QString &reason, bool delivered)
{
    const QString who = service(provider);
    if (delivered)
        return QStringLiteral("%1 accepted it; the phone should show it shortly").arg(who);
    const QString r = why(status, reason);
    if (reason == QLatin1String("Unregistered") || reason == QLatin1String("UNREGISTERED") ||
        reason == QLatin1String("NotRegistered") || (status == 410 && reason.isEmpty()))
        return QStringLiteral("The phone's push token is no longer valid (%1) — ask the user to open the app").arg(r);
    if (reason == QLatin1String("BadDeviceToken") || reason == QLatin1String("InvalidRegistration"))
        return QStringLiteral("The push token the phone registered is not valid (%1) — ask the user to open the app "
                              "so that it registers again").arg(r);
    if (reason == QLatin1String("DeviceTokenNotForTopic") || reason == QLatin1String("SENDER_ID_MISMATCH") ||
        reason == QLatin1String("MismatchSenderId"))
        return QStringLiteral("The push token belongs to another app or project (%1) — the server's push settings "
                              "(APNs topic or FCM project) do not match the app; tell the server administrator").arg(r);
    if (reason == QLatin1String("InvalidProviderToken") || reason == QLatin1String("ExpiredProviderToken") ||
        reason == QLatin1String("MissingProviderToken") || reason == QLatin1String("THIRD_PARTY_AUTH_ERROR") ||
        reason == QLatin1String("UNAUTHENTICATED") || reason == QLatin1String("PERMISSION_DENIED") ||
        status == 401 || status == 403)
        return QStringLiteral("%1 refused the server's own credentials (%2) — the server administrator must check "
                              "the push key; the phone is not at fault").arg(who, r);
    if (status == 429 || reason == QLatin1String("TooManyRequests") || reason == QLatin1String("QUOTA_EXCEEDED"))
        return QStringLiteral("%1 is limiting how fast the server may send (%2) — try again in a few minutes").arg(who, r);
    if (status >= 500 || reason == QLatin1String("ServiceUnavailable") || reason == QLatin1String("InternalServerError") ||
        reason == QLatin1String("UNAVAILABLE") || reason == QLatin1String("INTERNAL"))
        return QStringLiteral("%1 is having trouble right now (%2) — try again later; the phone is not at fault").arg(who, r);
    if (status == 0)
        return QStringLiteral("The server could not reach %1 (%2) — the server administrator should check its network")
            .arg(who, r);
    return QStringLiteral("%1 refused this push (%2) — tell the server administrator").arg(who, r);
}

} // namespace herald::PushVerdictText
