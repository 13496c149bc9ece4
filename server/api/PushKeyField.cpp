#include "api/PushKeyField.h"

#include "api/JsonFields.h"
#include "crypto/EcP256Key.h"
#include "crypto/WebPushCrypto.h"

#include <QRegularExpression>

namespace herald {
namespace {

// base64url as browsers write it (unpadded), tolerating the padded form some libraries produce.
std::optional<QByteArray> decodeBase64Url(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]+={0,2}\\z"));
    if (!re.match(text).hasMatch())
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64UrlEncoding
                                                                       | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

} // namespace

PushKeyField PushKeyField::read(JsonFields &device)
{
    PushKeyField key;
    const std::optional<QJsonObject> object = device.optionalObject(QStringLiteral("pushKey"), 1024);
    if (!object)
        return key;
    for (auto it = object->begin(); it != object->end(); ++it) {
        if (it.key() != QLatin1String("p256dh") && it.key() != QLatin1String("auth")) {
            device.fail(QStringLiteral("invalid_value"),
                        QStringLiteral("device.pushKey.%1 is not a known member (p256dh, auth)").arg(it.key().left(32)));
            return key;
        }
    }
    JsonFields fields(*object, QStringLiteral("device.pushKey"));
    const QString p256dh = fields.requiredString(QStringLiteral("p256dh"), 128);
    const QString auth = fields.requiredString(QStringLiteral("auth"), 64);
    if (!fields.ok()) {
        device.adoptError(fields);
        return key;
    }
    const std::optional<QByteArray> point = decodeBase64Url(p256dh);
    if (!point) {
        device.fail(QStringLiteral("invalid_value"), QStringLiteral("device.pushKey.p256dh must be base64url"));
        return key;
    }
    QString why;
    if (EcP256Key::fromPublicPoint(*point, &why).isNull()) {
        device.fail(QStringLiteral("invalid_value"), QStringLiteral("device.pushKey.p256dh ") + why);
        return key;
    }
    const std::optional<QByteArray> secret = decodeBase64Url(auth);
    if (!secret) {
        device.fail(QStringLiteral("invalid_value"), QStringLiteral("device.pushKey.auth must be base64url"));
        return key;
    }
    if (secret->size() != WebPushCrypto::kAuthSecretBytes) {
        device.fail(QStringLiteral("invalid_value"), QStringLiteral("device.pushKey.auth must be %1 bytes, not %2")
                                                          .arg(WebPushCrypto::kAuthSecretBytes)
                                                          .arg(secret->size()));
        return key;
    }
    key.p256dh = *point;
    key.auth = *secret;
    return key;
}

} // namespace herald
