#include "push/RecordingProvider.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace herald {

RecordingProvider::RecordingProvider(const QString &path, int delayMs, QObject *parent)
    : Provider(parent)
    , m_file(path)
    , m_delayMs(delayMs)
{
}

bool RecordingProvider::open(QString *error)
{
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        *error = QStringLiteral("cannot open %1: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}

void RecordingProvider::send(const PushMessage &message)
{
    if (m_delayMs <= 0) {
        // Still asynchronous: finished() must never fire inside send().
        QTimer::singleShot(0, this, [this, message] { record(message); });
        return;
    }
    QTimer::singleShot(m_delayMs, this, [this, message] { record(message); });
}

void RecordingProvider::record(const PushMessage &message)
{
    QJsonObject line{{QStringLiteral("deliveryId"), message.deliveryId},
                           {QStringLiteral("nid"), message.notificationId},
                           {QStringLiteral("platform"), message.platform},
                           {QStringLiteral("token"), message.pushToken},
                           {QStringLiteral("topic"), message.topic},
                           {QStringLiteral("title"), message.title},
                           {QStringLiteral("body"), message.body},
                           {QStringLiteral("uri"), message.uri},
                           {QStringLiteral("contentAvailable"), message.contentAvailable},
                           {QStringLiteral("badge"), message.badge},
                           {QStringLiteral("collapseId"), message.collapseId},
                           {QStringLiteral("at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
    if (!message.threadId.isEmpty())
        line.insert(QStringLiteral("threadId"), message.threadId);
    if (!message.clearIds.isEmpty())
        line.insert(QStringLiteral("clear"), QJsonArray::fromStringList(message.clearIds));
    if (!message.sealed.isEmpty())
        line.insert(QStringLiteral("enc"), QString::fromLatin1(message.sealed.toBase64(
                                               QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
    PushResult result;
    result.deliveryId = message.deliveryId;
    const QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    if (m_file.write(bytes) == bytes.size() && m_file.flush()) {
        result.outcome = PushResult::Outcome::Delivered;
        result.httpStatus = 200;
        result.providerMessageId = message.deliveryId;
    } else {
        result.outcome = PushResult::Outcome::RetryLater;
        result.reason = QStringLiteral("cannot write the recording file");
    }
    Q_EMIT finished(result);
}

} // namespace herald
