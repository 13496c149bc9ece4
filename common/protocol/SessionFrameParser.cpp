#include "protocol/SessionFrameParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace herald::protocol {

namespace {

// Nesting depth of the JSON text, counted without parsing so that a "[[[[...": bomb is refused
// before any parser recursion. Brackets inside strings do not count.
int nestingDepth(const QByteArray &utf8, int stopAbove)
{
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : utf8) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
            if (deepest > stopAbove)
                return deepest;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return deepest;
}

template <typename Frame> SessionFrameResult decode(const QJsonObject &object)
{
    Frame frame;
    SessionFrameResult result;
    if (Frame::fromJson(object, &frame, &result.error))
        result.frame = frame;
    return result;
}

} // namespace

SessionFrameParser::SessionFrameParser(FrameDirection accepted, qsizetype maxFrameBytes)
    : m_direction(accepted), m_maxFrameBytes(maxFrameBytes)
{
}

SessionFrameResult SessionFrameParser::refuse(QLatin1String code, const QString &message) const
{
    SessionFrameResult result;
    result.error = {QString(code), message};
    return result;
}

SessionFrameResult SessionFrameParser::parse(const QString &text) const
{
    // Every UTF-16 unit is at least one UTF-8 byte: refuse huge text before converting it.
    if (text.size() > m_maxFrameBytes)
        return refuse(frameerror::TooLarge, QStringLiteral("frame exceeds %1 bytes").arg(m_maxFrameBytes));
    return parse(text.toUtf8());
}

SessionFrameResult SessionFrameParser::parse(const QByteArray &utf8) const
{
    if (utf8.size() > m_maxFrameBytes)
        return refuse(frameerror::TooLarge, QStringLiteral("frame exceeds %1 bytes").arg(m_maxFrameBytes));
    if (utf8.contains('\0'))
        return refuse(frameerror::NotJson, QStringLiteral("frame contains a NUL byte"));
    if (nestingDepth(utf8, m_maxDepth) > m_maxDepth)
        return refuse(frameerror::TooLarge,
                      QStringLiteral("frame nests deeper than %1 levels").arg(m_maxDepth));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt refuses top-level scalars as a parse error; they are valid JSON, just not a frame.
        QJsonParseError wrappedError;
        const QJsonDocument wrapped = QJsonDocument::fromJson("[" + utf8 + "]", &wrappedError);
        if (wrappedError.error == QJsonParseError::NoError && wrapped.array().size() == 1)
            return refuse(frameerror::NotObject, QStringLiteral("frame must be a JSON object"));
        return refuse(frameerror::NotJson, QStringLiteral("frame is not valid JSON: %1 at offset %2")
                                               .arg(parseError.errorString())
                                               .arg(parseError.offset));
    }
    if (!document.isObject())
        return refuse(frameerror::NotObject, QStringLiteral("frame must be a JSON object"));
    return parseObject(document.object());
}

bool SessionFrameParser::accepts(const QString &type) const
{
    if (m_direction == FrameDirection::ClientToServer)
        return type == HelloFrame::Type || type == StateFrame::Type || type == AckFrame::Type ||
               type == PingFrame::Type;
    return type == WelcomeFrame::Type || type == DeliverFrame::Type || type == ClearFrame::Type ||
           type == PongFrame::Type || type == ErrorFrame::Type;
}

SessionFrameResult SessionFrameParser::parseObject(const QJsonObject &object) const
{
    const auto typeValue = object.constFind(QStringLiteral("type"));
    if (typeValue == object.constEnd())
        return refuse(frameerror::MissingField, QStringLiteral("missing field \"type\""));
    if (!typeValue->isString())
        return refuse(frameerror::WrongType, QStringLiteral("field \"type\" must be a string"));
    const QString type = typeValue->toString();
    if (!accepts(type)) {
        // The peer's text is echoed back only when short and printable, never as a log vector.
        const bool echo =
            type.size() <= 32 && std::all_of(type.begin(), type.end(), [](QChar c) { return c.isPrint(); });
        return refuse(frameerror::UnknownType, echo ? QStringLiteral("unknown frame type \"%1\"").arg(type)
                                                    : QStringLiteral("unknown frame type"));
    }

    if (type == HelloFrame::Type)
        return decode<HelloFrame>(object);
    if (type == StateFrame::Type)
        return decode<StateFrame>(object);
    if (type == AckFrame::Type)
        return decode<AckFrame>(object);
    if (type == PingFrame::Type)
        return decode<PingFrame>(object);
    if (type == WelcomeFrame::Type)
        return decode<WelcomeFrame>(object);
    if (type == DeliverFrame::Type)
        return decode<DeliverFrame>(object);
    if (type == ClearFrame::Type)
        return decode<ClearFrame>(object);
    if (type == PongFrame::Type)
        return decode<PongFrame>(object);
    return decode<ErrorFrame>(object);
}

} // namespace herald::protocol
