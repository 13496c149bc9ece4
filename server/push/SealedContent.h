#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace herald {

// What a push at privacy level `encrypted` carries for the device alone: the full content as
// JSON {"v":1,"nid","app","sender","subject","excerpt","uri","createdAt"}, sealed with RFC 8291
// for the device's key. Provider budgets are met by cutting the content *before* sealing (excerpt
// first, then subject, then sender, each on whole characters), never by touching the blob.
struct PushContent
{
    QString notificationId;
    QString app;
    QString sender;
    QString subject;
    QString excerpt;
    QString uri; // the real deep link (it names the app), which the push itself no longer shows
    QDateTime createdAt;
};

class SealedContent
{
public:
    // The largest blob APNs and FCM payloads take beside their envelope (nid, an opaque uri, a
    // generic alert): 2 700 bytes are 3 600 base64url characters of the 4 096 each allows.
    static constexpr int kMobileMaxBlobBytes = 2700;
    // A Web Push body is the blob itself; RFC 8030 push services take at least 4 096 bytes.
    static constexpr int kWebMaxBlobBytes = 4096;
    static int maxBlobBytesFor(const QString &platform);

    // The content as JSON, cut to at most maxBytes; empty if even the empty fields do not fit.
    static QByteArray plaintext(const PushContent &content, int maxBytes);
    // plaintext() for a blob of at most maxBlobBytes, sealed for the receiver's key.
    static std::optional<QByteArray> seal(const PushContent &content, const QByteArray &p256dh,
                                          const QByteArray &authSecret, int maxBlobBytes, QString *error = nullptr);
};

} // namespace herald
