#include "SealedPush.h"

#include "crypto/WebPushCrypto.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace herald::client {
namespace {

std::optional<QByteArray> fromBase64Url(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]+={0,2}\\z"));
    if (!re.match(text).hasMatch())
        return std::nullopt;
    auto bytes = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64UrlEncoding
                                                                     | QByteArray::AbortOnBase64DecodingErrors);
    return bytes ? std::optional<QByteArray>(*bytes) : std::nullopt;
}

QString encOf(const QJsonObject &object)
{
    if (object.contains(QStringLiteral("enc")))
        return object.value(QStringLiteral("enc")).toString();
    if (object.contains(QStringLiteral("data")))
        return encOf(object.value(QStringLiteral("data")).toObject());
    if (object.contains(QStringLiteral("message")))
        return encOf(object.value(QStringLiteral("message")).toObject());
    return {};
}

} // namespace

QByteArray SealedPush::blobOf(const QByteArray &push, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return QByteArray();
    };
    const QByteArray trimmed = push.trimmed();
    if (trimmed.startsWith('{')) {
        QJsonParseError parse{};
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &parse);
        if (!doc.isObject()) {
            // A Web Push body is binary, and its random salt starts with '{' about once in 256
            // pushes: it is handed on as one, and open() names both readings if it is neither.
            if (error)
                *error = QStringLiteral("the push is not a JSON object: %1").arg(parse.errorString());
            return push;
        }
        const QString enc = encOf(doc.object());
        if (enc.isEmpty())
            return fail(QStringLiteral("the push carries no sealed content (\"enc\"): its app is not at privacy "
                                       "level encrypted, or this device registered no push key"));
        const auto blob = fromBase64Url(enc);
        if (!blob)
            return fail(QStringLiteral("\"enc\" is not base64url"));
        return *blob;
    }
    if (const auto blob = fromBase64Url(QString::fromLatin1(trimmed)))
        return *blob;
    return push; // a Web Push body: the aes128gcm bytes themselves
}

std::optional<DecryptedPush> SealedPush::open(const QByteArray &push, const PushKeyPair &key, QString *error)
{
    if (key.isNull()) {
        if (error)
            *error = QStringLiteral("this terminal has no push key (register with one first)");
        return std::nullopt;
    }
    QString notJson;
    const QByteArray blob = blobOf(push, &notJson);
    if (blob.isEmpty()) {
        if (error)
            *error = notJson;
        return std::nullopt;
    }
    QString cryptoError;
    const auto plaintext = WebPushCrypto::decrypt(blob, key.key(), key.auth(), &cryptoError);
    if (!plaintext) {
        if (error)
            *error = notJson.isEmpty() ? cryptoError : notJson + QStringLiteral(", nor a Web Push body: ") + cryptoError;
        return std::nullopt;
    }
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(*plaintext, &parse);
    const QJsonObject o = doc.object();
    if (!doc.isObject() || o.value(QStringLiteral("v")).toInt() != 1
        || !o.value(QStringLiteral("nid")).isString()) {
        if (error)
            *error = QStringLiteral("the sealed content is not Herald's (version 1 JSON with \"nid\")");
        return std::nullopt;
    }
    DecryptedPush out;
    out.notificationId = o.value(QStringLiteral("nid")).toString();
    out.app = o.value(QStringLiteral("app")).toString();
    out.sender = o.value(QStringLiteral("sender")).toString();
    out.subject = o.value(QStringLiteral("subject")).toString();
    out.excerpt = o.value(QStringLiteral("excerpt")).toString();
    out.uri = o.value(QStringLiteral("uri")).toString();
    out.createdAt = QDateTime::fromString(o.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs);
    return out;
}

} // namespace herald::client
