#pragma once

#include "protocol/ProtocolVersion.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLatin1String>
#include <QString>
#include <QStringList>

#include <variant>

namespace herald::protocol {

// The session channel frames of PROTOCOL.md v1 ("Session channel frames"): one JSON object per
// WebSocket text message, each carrying "type". Both ends decode with SessionFrameParser, so the
// limits below are the contract's practical bounds and are shared by server and client.

// Why a frame was refused. Codes travel in the "error" frame and are never renamed.
struct SessionFrameError
{
    QString code;
    QString message;

    bool isNull() const { return code.isEmpty(); }
};

namespace frameerror {
constexpr QLatin1String NotJson{"not_json"};
constexpr QLatin1String NotObject{"not_object"};
constexpr QLatin1String MissingField{"missing_field"};
constexpr QLatin1String WrongType{"wrong_type"};
constexpr QLatin1String UnknownType{"unknown_type"};
constexpr QLatin1String BadValue{"bad_value"};
constexpr QLatin1String TooLarge{"too_large"};
} // namespace frameerror

// Field bounds, in UTF-16 code units. Generous for real traffic, small enough that a hostile peer
// cannot make the other end keep megabytes per field.
namespace framelimit {
constexpr int AppLength = 64;
constexpr int IdLength = 128;
constexpr int FeatureLength = 64;
constexpr int FeatureCount = 32;
constexpr int TitleLength = 1024;
constexpr int SenderLength = 512;
constexpr int BodyLength = 65536;
constexpr int TimestampLength = 64;
constexpr int ClearIdCount = 1000;
constexpr int ErrorCodeLength = 64;
constexpr int ErrorMessageLength = 1024;
constexpr int MaxHeartbeatSeconds = 3600;
} // namespace framelimit

// Whether an app's remote window is on the terminal's screen right now.
enum class UiState
{
    Foreground,
    Background,
    Closed
};
QString uiStateName(UiState state);
// False for anything but the three names of the contract (case-sensitive, like every wire value).
bool uiStateFromName(const QString &name, UiState *out);

// ---- client -> server ------------------------------------------------------------------------

struct HelloFrame
{
    static constexpr QLatin1String Type{"hello"};
    int protocol = Version;
    QStringList features;

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &object, HelloFrame *out, SessionFrameError *error);
};

struct StateFrame
{
    static constexpr QLatin1String Type{"state"};
    QString app;
    UiState ui = UiState::Closed;

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &object, StateFrame *out, SessionFrameError *error);
};

struct AckFrame
{
    static constexpr QLatin1String Type{"ack"};
    QString id;

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &object, AckFrame *out, SessionFrameError *error);
};

struct PingFrame
{
    static constexpr QLatin1String Type{"ping"};

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &object, PingFrame *out, SessionFrameError *error);
};

// ---- server -> client ------------------------------------------------------------------------

struct WelcomeFrame
{
    static constexpr QLatin1String Type{"welcome"};
    int protocol = Version;
    QStringList features;
    int heartbeat = 30; // seconds; the client pings at least this often

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &object, WelcomeFrame *out, SessionFrameError *error);
};

struct DeliverFrame
{
    static constexpr QLatin1String Type{"deliver"};
    QString id;
    QString app;
    QString title;
    QString body;
    QString sender; // optional: empty means absent on the wire
    QDateTime createdAt;

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &object, DeliverFrame *out, SessionFrameError *error);
};

struct ClearFrame
{
    static constexpr QLatin1String Type{"clear"};
    QStringList ids;

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &object, ClearFrame *out, SessionFrameError *error);
};

struct PongFrame
{
    static constexpr QLatin1String Type{"pong"};

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &object, PongFrame *out, SessionFrameError *error);
};

// The server's answer to a frame it refused; the session stays open unless the server says so.
struct ErrorFrame
{
    static constexpr QLatin1String Type{"error"};
    QString code;
    QString message;

    static ErrorFrame from(const SessionFrameError &error) { return {error.code, error.message}; }
    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &object, ErrorFrame *out, SessionFrameError *error);
};

using SessionFrame = std::variant<HelloFrame, StateFrame, AckFrame, PingFrame, WelcomeFrame, DeliverFrame,
                                  ClearFrame, PongFrame, ErrorFrame>;

QString frameType(const SessionFrame &frame);
QJsonObject frameToJson(const SessionFrame &frame);
// Compact JSON text, what goes into one WebSocket text message.
QString frameToText(const SessionFrame &frame);
QString frameToText(const QJsonObject &object);

} // namespace herald::protocol
