#pragma once

#include "api/FlatJsonObject.h"
#include "protocol/ApiError.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>

#include <optional>

namespace herald {

struct HttpRequest;

// Reads a JSON request body and its fields, turning the first problem into a precise 400 that
// names the field ("device.pushToken must be a string"). Once an error is recorded, further reads
// return empty values, so handlers check ok() once after reading everything.
class JsonFields
{
public:
    // Parses the body as one JSON object; an empty body counts as {} only if allowEmpty.
    static JsonFields fromRequest(const HttpRequest &request, bool allowEmpty = false);
    JsonFields(const QJsonObject &object, const QString &prefix);

    bool ok() const { return !m_error.has_value(); }
    const protocol::ApiError &error() const { return *m_error; }

    // A format check by hand, for fields read on every event where a regular expression costs more
    // than the rest of the field's checks together; true when `text` is well-formed.
    using FormatCheck = bool (*)(QStringView text);

    QString requiredString(const QString &name, int maxLength, const QRegularExpression *pattern = nullptr);
    QString requiredString(const QString &name, int maxLength, FormatCheck check);
    QString optionalString(const QString &name, int maxLength, const QRegularExpression *pattern = nullptr);
    QString requiredEnum(const QString &name, const QStringList &allowed);
    JsonFields requiredObject(const QString &name);
    std::optional<QJsonObject> optionalObject(const QString &name, int maxSerializedBytes);
    // An array of distinct strings, each matching `pattern`; absent means empty.
    QStringList stringArray(const QString &name, int maxItems, FormatCheck check);
    QJsonObject object() const { return m_flat ? m_flat->toObject() : m_object; }
    bool has(const QString &name) const { return m_flat ? m_flat->find(name) != nullptr : m_object.contains(name); }
    void fail(const QString &code, const QString &message);
    void adoptError(const JsonFields &inner);

private:
    QString qualified(const QString &name) const;
    QJsonValue fieldValue(const QString &name) const;
    QString stringField(const QString &name, int maxLength, const QRegularExpression *pattern, FormatCheck check,
                        bool required);

    QJsonObject m_object;
    std::optional<FlatJsonObject> m_flat; // instead of m_object when the body had that shape
    QString m_prefix;
    std::optional<protocol::ApiError> m_error;
};

} // namespace herald
