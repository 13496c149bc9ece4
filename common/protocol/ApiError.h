#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace herald::protocol {

// Every error of the public API has this shape: {"error": "<machine_code>", "message": "<human text>"}.
// Codes are part of the contract (docs/protocol.md lists them) and are never renamed.
struct ApiError
{
    int status = 500;
    QString code;
    QString message;

    QJsonObject toJson() const;
    QByteArray toBody() const;
    static bool fromJson(const QJsonObject &object, ApiError *out);

    static ApiError badRequest(const QString &code, const QString &message) { return {400, code, message}; }
    static ApiError unauthorized(const QString &message) { return {401, QStringLiteral("unauthorized"), message}; }
    static ApiError forbidden(const QString &message) { return {403, QStringLiteral("forbidden"), message}; }
    static ApiError notFound(const QString &message) { return {404, QStringLiteral("not_found"), message}; }
    static ApiError methodNotAllowed(const QString &message)
    {
        return {405, QStringLiteral("method_not_allowed"), message};
    }
    static ApiError payloadTooLarge(qint64 limit);
    static ApiError internal() { return {500, QStringLiteral("internal_error"), QStringLiteral("internal error")}; }
};

} // namespace herald::protocol
