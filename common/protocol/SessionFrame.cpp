#include "protocol/SessionFrame.h"

#include "protocol/TerminalApi.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace herald::protocol {

namespace {

const QString KeyType = QStringLiteral("type");

bool fail(SessionFrameError *error, QLatin1String code, const QString &message)
{
    if (error)
        *error = {QString(code), message};
    return false;
}

// Identifiers (ids, app names, feature flags, codes) end up in SQL keys, log lines and URLs on the
// other side; whitespace and control characters in them are never legitimate, only confusing.
enum class Charset
{
    Token,
    Text
};

bool acceptableChar(QChar c, Charset charset)
{
    const char16_t u = c.unicode();
    if (charset == Charset::Token)
        return u > 0x20 && u != 0x7f && !(u >= 0x80 && u <= 0x9f) && !c.isSpace();
    // Free text may span lines; other C0 controls (NUL above all) have no business in a message
    // shown to a person and break C strings on the way to the push providers.
    return u >= 0x20 || u == '\t' || u == '\n' || u == '\r';
}

bool checkString(const QString &value, const QString &what, int maxLength, Charset charset, bool allowEmpty,
                 SessionFrameError *error)
{
    if (value.isEmpty() && !allowEmpty)
        return fail(error, frameerror::BadValue, QStringLiteral("%1 must not be empty").arg(what));
    if (value.size() > maxLength)
        return fail(error, frameerror::TooLarge,
                    QStringLiteral("%1 is longer than %2 characters").arg(what).arg(maxLength));
    for (const QChar c : value) {
        if (!acceptableChar(c, charset)) {
            return fail(error, frameerror::BadValue,
                        charset == Charset::Token
                            ? QStringLiteral("%1 contains whitespace or control characters").arg(what)
                            : QStringLiteral("%1 contains control characters").arg(what));
        }
    }
    return true;
}

// The one rule for app names that registration, login, events and [app.*] apply too: a name the
// rest of the server would refuse can never be in the foreground, nor come in-band.
bool checkAppName(const QString &app, SessionFrameError *error)
{
    if (isAppName(app))
        return true;
    return fail(error, frameerror::BadValue, QStringLiteral("field \"app\": %1").arg(appNameProblem(app)));
}

bool readString(const QJsonObject &object, const QString &key, int maxLength, Charset charset,
                bool allowEmpty, QString *out, SessionFrameError *error)
{
    const auto it = object.constFind(key);
    if (it == object.constEnd())
        return fail(error, frameerror::MissingField, QStringLiteral("missing field \"%1\"").arg(key));
    if (!it->isString())
        return fail(error, frameerror::WrongType, QStringLiteral("field \"%1\" must be a string").arg(key));
    const QString value = it->toString();
    if (!checkString(value, QStringLiteral("field \"%1\"").arg(key), maxLength, charset, allowEmpty, error))
        return false;
    *out = value;
    return true;
}

// An optional string: absent and null both mean "not given".
bool readOptionalString(const QJsonObject &object, const QString &key, int maxLength, QString *out,
                        SessionFrameError *error)
{
    const auto it = object.constFind(key);
    if (it == object.constEnd() || it->isNull()) {
        out->clear();
        return true;
    }
    return readString(object, key, maxLength, Charset::Text, true, out, error);
}

bool readInteger(const QJsonObject &object, const QString &key, int min, int max, int *out,
                 SessionFrameError *error)
{
    const auto it = object.constFind(key);
    if (it == object.constEnd())
        return fail(error, frameerror::MissingField, QStringLiteral("missing field \"%1\"").arg(key));
    if (!it->isDouble())
        return fail(error, frameerror::WrongType, QStringLiteral("field \"%1\" must be a number").arg(key));
    const double value = it->toDouble();
    if (!std::isfinite(value) || std::floor(value) != value)
        return fail(error, frameerror::WrongType, QStringLiteral("field \"%1\" must be an integer").arg(key));
    if (value < min || value > max) {
        return fail(error, frameerror::BadValue,
                    QStringLiteral("field \"%1\" must be between %2 and %3").arg(key).arg(min).arg(max));
    }
    *out = int(value);
    return true;
}

bool readStringList(const QJsonObject &object, const QString &key, int maxCount, int maxLength,
                    bool allowEmptyList, QStringList *out, SessionFrameError *error)
{
    const auto it = object.constFind(key);
    if (it == object.constEnd())
        return fail(error, frameerror::MissingField, QStringLiteral("missing field \"%1\"").arg(key));
    if (!it->isArray())
        return fail(error, frameerror::WrongType, QStringLiteral("field \"%1\" must be an array").arg(key));
    const QJsonArray array = it->toArray();
    if (array.isEmpty() && !allowEmptyList)
        return fail(error, frameerror::BadValue, QStringLiteral("field \"%1\" must not be empty").arg(key));
    if (array.size() > maxCount) {
        return fail(error, frameerror::TooLarge,
                    QStringLiteral("field \"%1\" has more than %2 entries").arg(key).arg(maxCount));
    }
    QStringList values;
    values.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue entry = array.at(i);
        const QString what = QStringLiteral("%1[%2]").arg(key).arg(i);
        if (!entry.isString())
            return fail(error, frameerror::WrongType, QStringLiteral("%1 must be a string").arg(what));
        if (!checkString(entry.toString(), what, maxLength, Charset::Token, false, error))
            return false;
        values.append(entry.toString());
    }
    *out = values;
    return true;
}

bool readTimestamp(const QJsonObject &object, const QString &key, QDateTime *out, SessionFrameError *error)
{
    QString text;
    if (!readString(object, key, framelimit::TimestampLength, Charset::Token, false, &text, error))
        return false;
    const QDateTime value = QDateTime::fromString(text, Qt::ISODateWithMs);
    // Without an offset the instant would depend on the reader's time zone.
    if (!value.isValid() || value.timeSpec() == Qt::LocalTime) {
        return fail(error, frameerror::BadValue,
                    QStringLiteral("field \"%1\" must be an ISO 8601 time with a zone, e.g. "
                                   "2026-01-31T12:00:00Z")
                        .arg(key));
    }
    *out = value.toUTC();
    return true;
}

QString timestampText(const QDateTime &value)
{
    return value.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject typed(QLatin1String type)
{
    return QJsonObject{{KeyType, QString(type)}};
}

} // namespace

QString uiStateName(UiState state)
{
    switch (state) {
    case UiState::Foreground:
        return QStringLiteral("foreground");
    case UiState::Background:
        return QStringLiteral("background");
    case UiState::Closed:
        return QStringLiteral("closed");
    }
    return QStringLiteral("closed");
}

bool uiStateFromName(const QString &name, UiState *out)
{
    for (UiState state : {UiState::Foreground, UiState::Background, UiState::Closed}) {
        if (name == uiStateName(state)) {
            *out = state;
            return true;
        }
    }
    return false;
}

// ---- hello ----

QJsonObject HelloFrame::toJson() const
{
    QJsonObject object = typed(Type);
    object.insert(QStringLiteral("protocol"), protocol);
    object.insert(QStringLiteral("features"), QJsonArray::fromStringList(features));
    return object;
}

bool HelloFrame::fromJson(const QJsonObject &object, HelloFrame *out, SessionFrameError *error)
{
    HelloFrame frame;
    if (!readInteger(object, QStringLiteral("protocol"), 1, 1000000, &frame.protocol, error))
        return false;
    // Older or minimal clients may omit features; that simply means none.
    if (object.contains(QStringLiteral("features")) &&
        !readStringList(object, QStringLiteral("features"), framelimit::FeatureCount,
                        framelimit::FeatureLength, true, &frame.features, error))
        return false;
    *out = frame;
    return true;
}

// ---- state ----

QJsonObject StateFrame::toJson() const
{
    QJsonObject object = typed(Type);
    object.insert(QStringLiteral("app"), app);
    object.insert(QStringLiteral("ui"), uiStateName(ui));
    return object;
}

bool StateFrame::fromJson(const QJsonObject &object, StateFrame *out, SessionFrameError *error)
{
    StateFrame frame;
    if (!readString(object, QStringLiteral("app"), framelimit::AppLength, Charset::Token, false, &frame.app,
                    error))
        return false;
    if (!checkAppName(frame.app, error))
        return false;
    QString ui;
    if (!readString(object, QStringLiteral("ui"), framelimit::AppLength, Charset::Token, false, &ui, error))
        return false;
    if (!uiStateFromName(ui, &frame.ui)) {
        return fail(error, frameerror::BadValue,
                    QStringLiteral("field \"ui\" must be \"foreground\", \"background\" or \"closed\""));
    }
    *out = frame;
    return true;
}

// ---- ack ----

QJsonObject AckFrame::toJson() const
{
    QJsonObject object = typed(Type);
    object.insert(QStringLiteral("id"), id);
    return object;
}

bool AckFrame::fromJson(const QJsonObject &object, AckFrame *out, SessionFrameError *error)
{
    AckFrame frame;
    if (!readString(object, QStringLiteral("id"), framelimit::IdLength, Charset::Token, false, &frame.id,
                    error))
        return false;
    *out = frame;
    return true;
}

// ---- ping / pong ----

QJsonObject PingFrame::toJson() const
{
    return typed(Type);
}

bool PingFrame::fromJson(const QJsonObject &, PingFrame *out, SessionFrameError *)
{
    *out = PingFrame{};
    return true;
}

QJsonObject PongFrame::toJson() const
{
    return typed(Type);
}

bool PongFrame::fromJson(const QJsonObject &, PongFrame *out, SessionFrameError *)
{
    *out = PongFrame{};
    return true;
}

// ---- welcome ----

QJsonObject WelcomeFrame::toJson() const
{
    QJsonObject object = typed(Type);
    object.insert(QStringLiteral("protocol"), protocol);
    object.insert(QStringLiteral("features"), QJsonArray::fromStringList(features));
    object.insert(QStringLiteral("heartbeat"), heartbeat);
    return object;
}

bool WelcomeFrame::fromJson(const QJsonObject &object, WelcomeFrame *out, SessionFrameError *error)
{
    WelcomeFrame frame;
    if (!readInteger(object, QStringLiteral("protocol"), 1, 1000000, &frame.protocol, error))
        return false;
    if (!readStringList(object, QStringLiteral("features"), framelimit::FeatureCount,
                        framelimit::FeatureLength, true, &frame.features, error))
        return false;
    if (!readInteger(object, QStringLiteral("heartbeat"), 1, framelimit::MaxHeartbeatSeconds,
                     &frame.heartbeat, error))
        return false;
    *out = frame;
    return true;
}

// ---- deliver ----

QJsonObject DeliverFrame::toJson() const
{
    QJsonObject object = typed(Type);
    object.insert(QStringLiteral("id"), id);
    object.insert(QStringLiteral("app"), app);
    object.insert(QStringLiteral("title"), title);
    object.insert(QStringLiteral("body"), body);
    if (!sender.isEmpty())
        object.insert(QStringLiteral("sender"), sender);
    object.insert(QStringLiteral("createdAt"), timestampText(createdAt));
    return object;
}

bool DeliverFrame::fromJson(const QJsonObject &object, DeliverFrame *out, SessionFrameError *error)
{
    DeliverFrame frame;
    if (!readString(object, QStringLiteral("id"), framelimit::IdLength, Charset::Token, false, &frame.id,
                    error) ||
        !readString(object, QStringLiteral("app"), framelimit::AppLength, Charset::Token, false, &frame.app,
                    error) ||
        !checkAppName(frame.app, error) ||
        !readString(object, QStringLiteral("title"), framelimit::TitleLength, Charset::Text, true,
                    &frame.title, error) ||
        !readString(object, QStringLiteral("body"), framelimit::BodyLength, Charset::Text, true, &frame.body,
                    error) ||
        !readOptionalString(object, QStringLiteral("sender"), framelimit::SenderLength, &frame.sender,
                            error) ||
        !readTimestamp(object, QStringLiteral("createdAt"), &frame.createdAt, error))
        return false;
    *out = frame;
    return true;
}

// ---- clear ----

QJsonObject ClearFrame::toJson() const
{
    QJsonObject object = typed(Type);
    object.insert(QStringLiteral("ids"), QJsonArray::fromStringList(ids));
    return object;
}

bool ClearFrame::fromJson(const QJsonObject &object, ClearFrame *out, SessionFrameError *error)
{
    ClearFrame frame;
    if (!readStringList(object, QStringLiteral("ids"), framelimit::ClearIdCount, framelimit::IdLength, false,
                        &frame.ids, error))
        return false;
    *out = frame;
    return true;
}

// ---- error ----

QJsonObject ErrorFrame::toJson() const
{
    QJsonObject object = typed(Type);
    object.insert(QStringLiteral("error"), code);
    object.insert(QStringLiteral("message"), message);
    return object;
}

bool ErrorFrame::fromJson(const QJsonObject &object, ErrorFrame *out, SessionFrameError *error)
{
    ErrorFrame frame;
    if (!readString(object, QStringLiteral("error"), framelimit::ErrorCodeLength, Charset::Token, false,
                    &frame.code, error) ||
        !readString(object, QStringLiteral("message"), framelimit::ErrorMessageLength, Charset::Text, true,
                    &frame.message, error))
        return false;
    *out = frame;
    return true;
}

// ---- any frame ----

QString frameType(const SessionFrame &frame)
{
    return std::visit([](const auto &f) { return QString(f.Type); }, frame);
}

QJsonObject frameToJson(const SessionFrame &frame)
{
    return std::visit([](const auto &f) { return f.toJson(); }, frame);
}

QString frameToText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString frameToText(const SessionFrame &frame)
{
    return frameToText(frameToJson(frame));
}

} // namespace herald::protocol
