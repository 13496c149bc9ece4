#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

#include "PushKeyPair.h"

namespace herald::client {

// What an `encrypted` push says once opened on the terminal: the content Herald sealed for it.
struct DecryptedPush
{
    QString notificationId;
    QString app;
    QString sender;
    QString subject;
    QString excerpt;
    QString uri; // the deep link that opens the remote app
    QDateTime createdAt;
};

// Opens the sealed content of a push with the terminal's PushKeyPair. Takes the push the way the
// platform hands it over: an APNs payload ({"aps",…,"enc"}), an FCM message or its data
// ({"message":{"data":{"enc"}}}, {"data":{…}} or the data object), a Web Push body (the raw
// aes128gcm bytes), or the blob alone in base64url. Everything else, and any blob that does not
// open with this key, is nullopt with *error saying why.
class SealedPush
{
public:
    static std::optional<DecryptedPush> open(const QByteArray &push, const PushKeyPair &key,
                                             QString *error = nullptr);
    // The blob inside a push as above, still sealed; empty with *error when there is none.
    static QByteArray blobOf(const QByteArray &push, QString *error = nullptr);
};

} // namespace herald::client
