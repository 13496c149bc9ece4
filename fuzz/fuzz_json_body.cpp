// Request bodies as integrations and terminals send them. FlatJsonObject is a fast path that
// must never read a body differently from QJsonDocument: whenever it accepts one, the two must
// agree member for member. JsonFields then reads an event's fields from whichever path took it.
#include "api/FlatJsonObject.h"
#include "api/JsonFields.h"
#include "http/HttpRequest.h"
#include "protocol/TerminalApi.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdlib>

using namespace herald;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    FlatJsonObject flat;
    if (flat.parse(body)) {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject() || doc.object() != flat.toObject())
            std::abort(); // the fast path read something QJsonDocument reads otherwise
    }

    HttpRequest request;
    request.body = body;
    JsonFields fields = JsonFields::fromRequest(request);
    fields.requiredString(QStringLiteral("account"), 128);
    fields.requiredString(QStringLiteral("app"), 64, &protocol::isAppName);
    fields.optionalString(QStringLiteral("sender"), 256);
    fields.optionalObject(QStringLiteral("credentials"), 4096);
    fields.stringArray(QStringLiteral("apps"), 32, &protocol::isAppName);
    if (!fields.ok() && (fields.error().status != 400 || fields.error().code.isEmpty()))
        std::abort(); // a bad body is always a 400 that names what was wrong
    return 0;
}
