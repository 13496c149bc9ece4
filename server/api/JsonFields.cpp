#include "api/JsonFields.h"

#include "http/HttpRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace herald {

JsonFields::JsonFields(const QJsonObject &object, const QString &prefix)
    : m_object(object)
    , m_prefix(prefix)
{
}

JsonFields JsonFields::fromRequest(const HttpRequest &request, bool allowEmpty)
{
    JsonFields fields{QJsonObject(), QString()};
    const QByteArray type = request.header("content-type").toLower();
    if (!type.isEmpty() && !type.startsWith("application/json")) {
        fields.m_error = protocol::ApiError{415, QStringLiteral("unsupported_media_type"),
                                            QStringLiteral("the body must be application/json")};
        return fields;
    }
    if (request.body.trimmed().isEmpty()) {
        if (!allowEmpty)
            fields.fail(QStringLiteral("malformed_json"), QStringLiteral("a JSON object body is required"));
        return fields;
    }
    FlatJsonObject flat;
    if (flat.parse(request.body)) {
        fields.m_flat = std::move(flat);
        return fields;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        fields.fail(QStringLiteral("malformed_json"),
                    QStringLiteral("the body is not valid JSON (%1 at offset %2)")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
        return fields;
    }
    if (!doc.isObject()) {
        fields.fail(QStringLiteral("malformed_json"), QStringLiteral("the body must be a JSON object"));
        return fields;
    }
    fields.m_object = doc.object();
    return fields;
}

void JsonFields::fail(const QString &code, const QString &message)
{
    if (!m_error)
        m_error = protocol::ApiError::badRequest(code, message);
}

void JsonFields::adoptError(const JsonFields &inner)
{
    if (!m_error && inner.m_error)
        m_error = inner.m_error;
}

QString JsonFields::qualified(const QString &name) const
{
    return m_prefix.isEmpty() ? name : m_prefix + QLatin1Char('.') + name;
}

QJsonValue JsonFields::fieldValue(const QString &name) const
{
    return m_flat ? m_flat->value(name) : m_object.value(name);
}

QString JsonFields::stringField(const QString &name, int maxLength, const QRegularExpression *pattern,
                                FormatCheck check, bool required)
{
    if (m_error)
        return {};
    QString text;
    bool undefined = false, null = false, string = false;
    if (m_flat) {
        // Straight from the member: a QJsonValue of a string would cost a CBOR container.
        const FlatJsonObject::Member *member = m_flat->find(name);
        undefined = !member;
        null = member && member->null;
        string = member && !member->null;
        if (string)
            text = member->value;
    } else {
        const QJsonValue v = m_object.value(name);
        undefined = v.isUndefined();
        null = v.isNull();
        string = v.isString();
        if (string)
            text = v.toString();
    }
    if (undefined || (null && !required)) {
        if (required)
            fail(QStringLiteral("missing_field"), QStringLiteral("%1 is required").arg(qualified(name)));
        return {};
    }
    if (!string) {
        fail(QStringLiteral("wrong_type"), QStringLiteral("%1 must be a string").arg(qualified(name)));
        return {};
    }
    if (required && text.isEmpty()) {
        fail(QStringLiteral("invalid_value"), QStringLiteral("%1 must not be empty").arg(qualified(name)));
        return {};
    }
    if (text.size() > maxLength) {
        fail(QStringLiteral("invalid_value"),
             QStringLiteral("%1 is longer than %2 characters").arg(qualified(name)).arg(maxLength));
        return {};
    }
    if (text.contains(QChar(0))) {
        fail(QStringLiteral("invalid_value"), QStringLiteral("%1 contains a NUL character").arg(qualified(name)));
        return {};
    }
    if (!text.isEmpty() && ((pattern && !pattern->match(text).hasMatch()) || (check && !check(text)))) {
        fail(QStringLiteral("invalid_value"), QStringLiteral("%1 has an invalid format").arg(qualified(name)));
        return {};
    }
    return text;
}

QString JsonFields::requiredString(const QString &name, int maxLength, const QRegularExpression *pattern)
{
    return stringField(name, maxLength, pattern, nullptr, true);
}

QString JsonFields::requiredString(const QString &name, int maxLength, FormatCheck check)
{
    return stringField(name, maxLength, nullptr, check, true);
}

QString JsonFields::optionalString(const QString &name, int maxLength, const QRegularExpression *pattern)
{
    return stringField(name, maxLength, pattern, nullptr, false);
}

QString JsonFields::requiredEnum(const QString &name, const QStringList &allowed)
{
    const QString value = requiredString(name, 64);
    if (ok() && !allowed.contains(value)) {
        fail(QStringLiteral("invalid_value"),
             QStringLiteral("%1 must be one of: %2").arg(qualified(name), allowed.join(QStringLiteral(", "))));
        return {};
    }
    return value;
}

JsonFields JsonFields::requiredObject(const QString &name)
{
    const QJsonValue value = fieldValue(name);
    JsonFields inner(value.toObject(), qualified(name));
    if (m_error)
        return inner;
    if (value.isUndefined())
        fail(QStringLiteral("missing_field"), QStringLiteral("%1 is required").arg(qualified(name)));
    else if (!value.isObject())
        fail(QStringLiteral("wrong_type"), QStringLiteral("%1 must be an object").arg(qualified(name)));
    return inner;
}

std::optional<QJsonObject> JsonFields::optionalObject(const QString &name, int maxSerializedBytes)
{
    const QJsonValue value = fieldValue(name);
    if (m_error || value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isObject()) {
        fail(QStringLiteral("wrong_type"), QStringLiteral("%1 must be an object").arg(qualified(name)));
        return std::nullopt;
    }
    if (QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).size() > maxSerializedBytes) {
        fail(QStringLiteral("invalid_value"),
             QStringLiteral("%1 is larger than %2 bytes").arg(qualified(name)).arg(maxSerializedBytes));
        return std::nullopt;
    }
    return value.toObject();
}

QStringList JsonFields::stringArray(const QString &name, int maxItems, FormatCheck check)
{
    const QJsonValue value = fieldValue(name);
    if (m_error || value.isUndefined() || value.isNull())
        return {};
    if (!value.isArray()) {
        fail(QStringLiteral("wrong_type"), QStringLiteral("%1 must be an array of strings").arg(qualified(name)));
        return {};
    }
    const QJsonArray array = value.toArray();
    if (array.size() > maxItems) {
        fail(QStringLiteral("invalid_value"),
             QStringLiteral("%1 has more than %2 entries").arg(qualified(name)).arg(maxItems));
        return {};
    }
    QStringList out;
    QSet<QString> seen;
    for (const QJsonValue &item : array) {
        if (!item.isString()) {
            fail(QStringLiteral("wrong_type"), QStringLiteral("%1 must be an array of strings").arg(qualified(name)));
            return {};
        }
        const QString text = item.toString();
        if (!check(text)) {
            fail(QStringLiteral("invalid_value"),
                 QStringLiteral("%1 has an invalid entry '%2'").arg(qualified(name), text.left(64)));
            return {};
        }
        if (!seen.contains(text)) {
            seen.insert(text);
            out.append(text);
        }
    }
    return out;
}

} // namespace herald
