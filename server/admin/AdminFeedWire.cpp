#include "admin/AdminFeedWire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace herald::AdminFeedWire {

namespace {

const QString kType = QStringLiteral("type");

bool isName(const QString &s)
{
    static const QRegularExpression name(QStringLiteral("\\A[A-Za-z0-9._-]{1,100}\\z"));
    return name.match(s).hasMatch();
}

bool isRowId(const QJsonValue &v)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    return d >= 1 && d <= 9007199254740992.0 && std::floor(d) == d;
}

// The members each frame type must have, beside "type" and "at": strings unless said otherwise.
struct Shape
{
    QString type;
    QString row; // "deviceRow", "accountRow" or none
    QStringList strings;
    QStringList textOrNull;
};

const QList<Shape> &shapes()
{
    static const QList<Shape> all{
        {QStringLiteral("presence"), QStringLiteral("deviceRow"), {}, {}},
        {QStringLiteral("notification"), QStringLiteral("accountRow"),
         {QStringLiteral("id"), QStringLiteral("app"), QStringLiteral("createdAt")}, {}},
        {QStringLiteral("delivery"), QStringLiteral("deviceRow"),
         {QStringLiteral("notificationId"), QStringLiteral("deliveryId"), QStringLiteral("state")},
         {QStringLiteral("channel"), QStringLiteral("detail")}},
        {QStringLiteral("token-retired"), QStringLiteral("deviceRow"), {QStringLiteral("reason")}, {}},
        {QStringLiteral("provider"), QString(), {QStringLiteral("name"), QStringLiteral("state")},
         {QStringLiteral("reason")}},
        {QStringLiteral("monitor"), QStringLiteral("accountRow"), {QStringLiteral("app"), QStringLiteral("state")},
         {QStringLiteral("reason")}},
    };
    return all;
}

bool validFrame(const QJsonObject &frame, QString *why)
{
    const QString type = frame.value(kType).toString();
    const Shape *shape = nullptr;
    for (const Shape &s : shapes())
        if (s.type == type)
            shape = &s;
    if (!shape) {
        *why = QStringLiteral("a frame of unknown type");
        return false;
    }
    // Every member is a short string, null, a flag, a row id or (presence) the apps' states.
    for (auto it = frame.begin(); it != frame.end(); ++it) {
        const QJsonValue v = it.value();
        const bool ok = (v.isString() && v.toString().size() <= MaxTextChars) || v.isNull() || v.isBool() ||
                        (it.key().endsWith(QLatin1String("Row")) && isRowId(v)) ||
                        (type == QLatin1String("presence") && it.key() == QLatin1String("apps") && v.isObject());
        if (!ok) {
            *why = QStringLiteral("a %1 frame with a bad member").arg(type);
            return false;
        }
    }
    bool ok = frame.value(QStringLiteral("at")).isString() && (shape->row.isEmpty() || isRowId(frame.value(shape->row)));
    for (const QString &key : shape->strings)
        ok = ok && frame.value(key).isString();
    for (const QString &key : shape->textOrNull)
        ok = ok && (frame.value(key).isString() || frame.value(key).isNull() || frame.value(key).isUndefined());
    if (type == QLatin1String("presence")) {
        const QJsonObject apps = frame.value(QStringLiteral("apps")).toObject();
        ok = ok && frame.value(QStringLiteral("online")).isBool() && apps.size() <= 64;
        for (auto it = apps.begin(); ok && it != apps.end(); ++it)
            ok = it.key().size() <= 64 && it.value().isString() && it.value().toString().size() <= 16;
    }
    if (!ok)
        *why = QStringLiteral("a %1 frame without what it must have").arg(type);
    return ok;
}

QByteArray envelopeHead(const QString &node, const QString &run, qint64 seq)
{
    QByteArray head = QJsonDocument(QJsonObject{{QStringLiteral("v"), 1},
                                                {QStringLiteral("node"), node},
                                                {QStringLiteral("run"), run},
                                                {QStringLiteral("seq"), seq}})
                          .toJson(QJsonDocument::Compact);
    head.chop(1); // the closing brace: the frames follow
    return head + ",\"frames\":[";
}

} // namespace

QList<QByteArray> encodeFrames(const QString &node, const QString &run, qint64 *nextSeq,
                               const QList<QJsonObject> &frames, int *dropped)
{
    *dropped = 0;
    QList<QByteArray> payloads;
    QByteArray current;
    int inCurrent = 0;
    auto close = [&] {
        if (inCurrent == 0)
            return;
        payloads.append(current + "]}");
        current.clear();
        inCurrent = 0;
    };
    for (QJsonObject frame : frames) {
        for (auto it = frame.begin(); it != frame.end(); ++it)
            if (it.value().isString() && it.value().toString().size() > MaxTextChars)
                it.value() = it.value().toString().left(MaxTextChars);
        const QByteArray bytes = QJsonDocument(frame).toJson(QJsonDocument::Compact);
        const QByteArray head = envelopeHead(node, run, *nextSeq + (inCurrent > 0 ? 1 : 0));
        if (head.size() + bytes.size() + 2 > MaxPayloadBytes) {
            ++*dropped; // would not fit even alone
            continue;
        }
        if (inCurrent > 0 && (current.size() + 1 + bytes.size() + 2 > MaxPayloadBytes || inCurrent >= MaxFramesPerNotice))
            close();
        if (inCurrent == 0) {
            current = envelopeHead(node, run, *nextSeq);
            ++*nextSeq;
        } else {
            current += ',';
        }
        current += bytes;
        ++inCurrent;
    }
    close();
    return payloads;
}

std::optional<Notice> decodeFrames(const QByteArray &payload, QString *why)
{
    if (payload.size() > MaxPayloadBytes) {
        *why = QStringLiteral("%1 bytes, more than a notice holds").arg(payload.size());
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        *why = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    Notice notice;
    notice.node = o.value(QStringLiteral("node")).toString();
    notice.run = o.value(QStringLiteral("run")).toString();
    const QJsonValue seq = o.value(QStringLiteral("seq"));
    const QJsonValue frames = o.value(QStringLiteral("frames"));
    if (o.value(QStringLiteral("v")).toInt() != 1 || o.size() != 5) {
        *why = QStringLiteral("not a notice of version 1");
        return std::nullopt;
    }
    if (!isName(notice.node) || !isName(notice.run) || !isRowId(seq) || !frames.isArray() ||
        frames.toArray().isEmpty() || frames.toArray().size() > MaxFramesPerNotice) {
        *why = QStringLiteral("a notice with a bad node, run, sequence number or frame list");
        return std::nullopt;
    }
    notice.seq = qint64(seq.toDouble());
    for (const QJsonValue &f : frames.toArray()) {
        if (!f.isObject()) {
            *why = QStringLiteral("a frame that is not an object");
            return std::nullopt;
        }
        if (!validFrame(f.toObject(), why))
            return std::nullopt;
        notice.frames.append(f.toObject());
    }
    return notice;
}

QByteArray encodeWatch(WatchWord word, const QString &run, const QString &node)
{
    const char *text = word == WatchWord::On ? "on" : word == WatchWord::Off ? "off" : "ask";
    return QByteArray(text) + ' ' + run.toUtf8() + ' ' + node.toUtf8();
}

std::optional<WatchNotice> decodeWatch(const QByteArray &payload, QString *why)
{
    const QList<QByteArray> parts = payload.size() <= 2 * MaxNameChars + 5 ? payload.split(' ') : QList<QByteArray>();
    WatchNotice notice;
    if (parts.size() == 3) {
        notice.run = QString::fromLatin1(parts[1]);
        notice.node = QString::fromLatin1(parts[2]);
    }
    if (!isName(notice.run) || !isName(notice.node)) {
        *why = QStringLiteral("not \"on|off|ask RUN NODE\"");
        return std::nullopt;
    }
    if (parts[0] == "on")
        notice.word = WatchWord::On;
    else if (parts[0] == "off")
        notice.word = WatchWord::Off;
    else if (parts[0] == "ask")
        notice.word = WatchWord::Ask;
    else {
        *why = QStringLiteral("not \"on|off|ask RUN NODE\"");
        return std::nullopt;
    }
    return notice;
}

} // namespace herald::AdminFeedWire
