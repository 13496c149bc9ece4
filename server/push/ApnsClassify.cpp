// ApnsProvider's reading of APNs answers, in a file of its own: it takes bytes from Apple's
// servers (status, headers, a JSON body), so it is fuzzed without the provider's sockets
// (fuzz/fuzz_push_response.cpp).
#include "push/ApnsProvider.h"

#include "push/RetryPolicy.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace herald {

bool ApnsProvider::isProviderTokenError(const QString &reason)
{
    return reason == QLatin1String("ExpiredProviderToken") ||
           reason == QLatin1String("InvalidProviderToken") || reason == QLatin1String("MissingProviderToken");
}

PushResult ApnsProvider::classify(const Http2Response &response)
{
    using O = PushResult::Outcome;
    PushResult r;
    r.httpStatus = response.status;
    r.retryAfterSecs = RetryPolicy::parseRetryAfter(response.header("retry-after"));
    if (response.status == 200) {
        r.outcome = O::Delivered;
        r.providerMessageId = QString::fromLatin1(response.header("apns-id").left(64));
        return r;
    }
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(response.body, &pe);
    if (pe.error == QJsonParseError::NoError && doc.isObject())
        r.reason = doc.object().value(QStringLiteral("reason")).toString().left(100);
    if (r.reason.isEmpty())
        r.reason = QStringLiteral("HTTP %1").arg(response.status);
    const int s = response.status;
    if (s == 410 || (s == 400 && (r.reason == QLatin1String("BadDeviceToken") ||
                                  r.reason == QLatin1String("DeviceTokenNotForTopic")))) {
        r.outcome = O::TokenDead;
    } else if (s == 403 &&
               (isProviderTokenError(r.reason) || r.reason.startsWith(QLatin1String("BadCertificate")) ||
                r.reason == QLatin1String("Forbidden"))) {
        r.outcome = O::ProviderAuthFailed;
    } else if (s == 429 || s >= 500 || s == 408) {
        r.outcome = O::RetryLater;
    } else {
        r.outcome = O::Rejected; // the rest of 4xx (and oddities like 3xx) are permanent for this push
    }
    return r;
}

} // namespace herald
