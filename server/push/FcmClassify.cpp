// FcmProvider's reading of FCM answers, in a file of its own: it takes bytes from Google's servers
// (status, headers, a JSON body), so it is fuzzed without the provider's sockets
// (fuzz/fuzz_push_response.cpp).
#include "push/FcmProvider.h"

#include "push/RetryPolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace herald {

PushResult FcmProvider::classify(const Http2Response &response)
{
    using O = PushResult::Outcome;
    PushResult r;
    r.httpStatus = response.status;
    r.retryAfterSecs =
        RetryPolicy::parseRetryAfter(response.header("retry-after"));
    QJsonParseError pe{};
    const QJsonObject o = QJsonDocument::fromJson(response.body, &pe).object();
    if (response.status == 200) {
        r.outcome = O::Delivered;
        r.providerMessageId = o.value(QStringLiteral("name")).toString().left(200);
        return r;
    }
    const QJsonObject err = o.value(QStringLiteral("error")).toObject();
    QString errorCode;
    const QJsonArray details = err.value(QStringLiteral("details")).toArray();
    for (const QJsonValue &d : details) {
        const QJsonObject detail = d.toObject();
        if (detail.value(QStringLiteral("@type")).toString().endsWith(QLatin1String("FcmError")))
            errorCode = detail.value(QStringLiteral("errorCode")).toString();
    }
    const QString status = err.value(QStringLiteral("status")).toString();
    r.reason = (!errorCode.isEmpty() ? errorCode
                : !status.isEmpty()  ? status
                                     : QStringLiteral("HTTP %1").arg(response.status))
                   .left(100);
    const int s = response.status;
    if (errorCode == QLatin1String("UNREGISTERED") ||
        (s == 404 && errorCode.isEmpty() && status == QLatin1String("NOT_FOUND")))
        r.outcome = O::TokenDead;
    else if (s == 401 || errorCode == QLatin1String("THIRD_PARTY_AUTH_ERROR"))
        r.outcome = O::ProviderAuthFailed;
    else if (s == 429 || s >= 500 || s == 408)
        r.outcome = O::RetryLater;
    else
        r.outcome = O::Rejected; // INVALID_ARGUMENT, SENDER_ID_MISMATCH, …: permanent for this message
    return r;
}

} // namespace herald
