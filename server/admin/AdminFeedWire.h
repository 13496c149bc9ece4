#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace herald {

// What the nodes of a cluster tell each other about the admin live feed (AdminClusterFeed), as
// NOTIFY payloads on the shared channels. Internal to the server, never seen by consoles; a node
// of another version that cannot read a notice drops it.
//
// Frames: {"v":1,"node":NODE,"run":CLAIMER,"seq":N,"frames":[frame,...]}. A frame is a live-feed
// frame as this node made it, with the rows it names as ids ("deviceRow", "accountRow") instead of
// names: the receiver reads the names, only where consoles watch, and the notice stays small.
// Watchers: "on RUN NODE" (consoles follow the feed there; repeated every heartbeat), "off RUN NODE"
// (no longer), "ask RUN NODE" (a node that starts asks who watches).
//
// Everything from the channel is checked before use: anyone who may NOTIFY on the database can
// write there, so a notice that is not exactly this shape is dropped whole.
namespace AdminFeedWire {

// PostgreSQL refuses a payload of 8000 bytes or more; the envelope and a margin fit under it.
constexpr int MaxPayloadBytes = 7900;
// A frame's free text (a provider's answer, a monitor's reason) is cut to this on the wire, so
// that any frame fits in a notice.
constexpr int MaxTextChars = 400;
constexpr int MaxFramesPerNotice = 200;
constexpr int MaxNameChars = 100; // node names (app/NodeName) and claimers (UUIDs)

struct Notice
{
    QString node;
    QString run;
    qint64 seq = 0;
    QList<QJsonObject> frames;
};

// Packs `frames` into as few payloads as fit, in order; each takes the next sequence number from
// *nextSeq. A frame that cannot fit even alone is left out and counted in *dropped.
QList<QByteArray> encodeFrames(const QString &node, const QString &run, qint64 *nextSeq,
                               const QList<QJsonObject> &frames, int *dropped);
// nullopt, with *why, when the payload is not a notice of this version.
std::optional<Notice> decodeFrames(const QByteArray &payload, QString *why);

enum class WatchWord { On, Off, Ask };
struct WatchNotice
{
    WatchWord word = WatchWord::On;
    QString run;
    QString node;
};
QByteArray encodeWatch(WatchWord word, const QString &run, const QString &node);
std::optional<WatchNotice> decodeWatch(const QByteArray &payload, QString *why);

} // namespace AdminFeedWire

} // namespace herald
