#pragma once

#include "protocol/SessionFrame.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace herald::protocol {

// Which end is reading: the server accepts only client frames and vice versa, so a "deliver"
// arriving at the server is as unknown to it as a made-up type.
enum class FrameDirection
{
    ClientToServer,
    ServerToClient
};

struct SessionFrameResult
{
    std::optional<SessionFrame> frame;
    SessionFrameError error; // set exactly when frame is empty

    bool isValid() const { return frame.has_value(); }
};

// Turns one WebSocket text message into a typed frame or a precise refusal. Frames come from the
// network, so every step is bounded: size before parsing, nesting before the JSON parser recurses,
// then each field's type, value and length. Unknown extra fields are ignored so that a newer peer
// can add fields without breaking an older one.
class SessionFrameParser
{
public:
    static constexpr qsizetype DefaultMaxFrameBytes = 256 * 1024;
    // Valid frames nest two levels ({"ids":[...]}); extra fields may add a little, never 32 levels.
    static constexpr int DefaultMaxDepth = 32;

    explicit SessionFrameParser(FrameDirection accepted, qsizetype maxFrameBytes = DefaultMaxFrameBytes);

    FrameDirection direction() const { return m_direction; }
    qsizetype maxFrameBytes() const { return m_maxFrameBytes; }
    void setMaxDepth(int depth) { m_maxDepth = depth; }
    int maxDepth() const { return m_maxDepth; }

    SessionFrameResult parse(const QString &text) const;
    SessionFrameResult parse(const QByteArray &utf8) const;
    // For callers that already hold a decoded object (tests, in-process peers).
    SessionFrameResult parseObject(const QJsonObject &object) const;

    // True for the types this direction carries, e.g. "hello" for ClientToServer.
    bool accepts(const QString &type) const;

private:
    SessionFrameResult refuse(QLatin1String code, const QString &message) const;

    FrameDirection m_direction;
    qsizetype m_maxFrameBytes;
    int m_maxDepth = DefaultMaxDepth;
};

} // namespace herald::protocol
