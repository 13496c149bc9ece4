#include "TestPushVerdict.h"

#include <QCoreApplication>

namespace herald::TestPushVerdict {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("herald::TestPushVerdict", text);
}

bool isDeadToken(const QString &reason)
{
    // APNs and FCM words for a token the app no longer owns.
    for (const char *dead : {"Unregistered", "BadDeviceToken", "UNREGISTERED", "NotRegistered", "InvalidRegistration",
                             "ExpiredToken"}) {
        if (reason.compare(QLatin1String(dead), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isAuthFailure(const QString &reason, int status)
{
    // Refusals only the server's administrator can fix: credentials, or an app set up for another
    // topic or sender.
    for (const char *auth : {"InvalidProviderToken", "ExpiredProviderToken", "MissingProviderToken", "Forbidden",
                             "THIRD_PARTY_AUTH_ERROR", "SENDER_ID_MISMATCH", "PERMISSION_DENIED", "UNAUTHENTICATED",
                             "DeviceTokenNotForTopic", "TopicDisallowed", "BadCertificate", "BadCertificateEnvironment"}) {
        if (reason.compare(QLatin1String(auth), Qt::CaseInsensitive) == 0)
            return true;
    }
    return status == 401 || (status == 403 && reason.isEmpty());
}
} // namespace

QString providerName(const QString &provider)
{
    if (provider.contains(QLatin1String("apns"), Qt::CaseInsensitive))
        return QStringLiteral("APNs");
    if (provider.contains(QLatin1String("fcm"), Qt::CaseInsensitive))
        return QStringLiteral("FCM");
    return provider;
}

bool succeeded(const QJsonObject &verdict)
{
    if (verdict.value(QStringLiteral("delivered")).toBool())
        return true;
    const QJsonObject fallback = verdict.value(QStringLiteral("fallback")).toObject();
    return !fallback.isEmpty() && succeeded(fallback);
}

QString describe(const QJsonObject &verdict)
{
    const QString channel = verdict.value(QStringLiteral("channel")).toString();
    const int ms = verdict.value(QStringLiteral("ms")).toInt();
    if (channel == QLatin1String("in-band")) {
        if (verdict.value(QStringLiteral("acked")).toBool())
            return tr("Delivered in-band and acknowledged in %1 ms.").arg(ms);
        const QJsonObject fallback = verdict.value(QStringLiteral("fallback")).toObject();
        if (!fallback.isEmpty())
            return tr("The app was in the foreground but did not acknowledge within %1 ms, so it was sent as a push: %2")
                .arg(ms)
                .arg(describe(fallback));
        return tr("The app was in the foreground but did not acknowledge within %1 ms.").arg(ms);
    }
    const QString reason = verdict.value(QStringLiteral("reason")).toString();
    if (channel == QLatin1String("push")) {
        const QString provider = providerName(verdict.value(QStringLiteral("provider")).toString());
        const int status = verdict.value(QStringLiteral("status")).toInt();
        if (verdict.value(QStringLiteral("delivered")).toBool())
            return tr("%1 accepted it (in %2 ms). The phone shows it when it is online.").arg(provider).arg(ms);
        if (isDeadToken(reason))
            return tr("The phone's push token is no longer valid: %1 — ask the user to open the app, which registers a new one.")
                .arg(reason);
        if (isAuthFailure(reason, status))
            return tr("%1 refused Herald's credentials or app settings (%2, status %3): the server's administrator must check the provider's key, team and topic.")
                .arg(provider, reason.isEmpty() ? QStringLiteral("—") : reason)
                .arg(status);
        if (status == 429 || status >= 500)
            return tr("%1 is busy or having trouble (status %2); nothing is wrong with the phone. Try again in a few minutes.")
                .arg(provider)
                .arg(status);
        if (status == 0)
            return tr("%1 could not be reached: %2").arg(provider, reason.isEmpty() ? verdict.value(QStringLiteral("message")).toString() : reason);
        return tr("%1 refused it: %2 (status %3).").arg(provider, reason.isEmpty() ? QStringLiteral("—") : reason).arg(status);
    }
    if (reason == QLatin1String("no_push_token"))
        return tr("The device registered without a push token, and the app is not in the foreground: it can only be "
                  "reached while the app is open.");
    if (reason == QLatin1String("no_provider"))
        return tr("No push provider is configured for this device's platform, and the app is not in the foreground.");
    const QString message = verdict.value(QStringLiteral("message")).toString();
    if (message.isEmpty() && reason.isEmpty())
        return tr("Not delivered; the server gave no reason.");
    return message.isEmpty() ? tr("Not delivered (%1).").arg(reason) : tr("Not delivered: %1").arg(message);
}

} // namespace herald::TestPushVerdict
