#include "protocol/ApiError.h"

#include <QJsonDocument>

namespace herald::protocol {

QJsonObject ApiError::toJson() const
{
    return QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}};
}

QByteArray ApiError::toBody() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

bool ApiError::fromJson(const QJsonObject &object, ApiError *out)
{
    const auto code = object.value(QStringLiteral("error"));
    const auto message = object.value(QStringLiteral("message"));
    if (!code.isString() || !message.isString())
        return false;
    out->code = code.toString();
    out->message = message.toString();
    return true;
}

ApiError ApiError::payloadTooLarge(qint64 limit)
{
    return {413, QStringLiteral("payload_too_large"),
            QStringLiteral("request body exceeds the limit of %1 bytes").arg(limit)};
}

} // namespace herald::protocol
