#include "ClusterNodes.h"

#include "DeliveryFixture.h"
#include "SessionChannel.h"
#include "TestDatabase.h"

#include <QDateTime>
#include <QFile>
#include <QRegularExpression>

namespace herald::test::ClusterNodes {

QStringList fastHeartbeat()
{
    return {QStringLiteral("--node-heartbeat-secs"), QStringLiteral("1"), QStringLiteral("--node-timeout-secs"),
            QStringLiteral("3")};
}

QString nameOf(const DeliveryFixture &node)
{
    QFile file(node.server().dataDir() + QStringLiteral("/node-name"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).trimmed() : QString();
}

bool seesNodes(DeliveryFixture &node, int count, QString *log)
{
    *log += node.server().output();
    static const QRegularExpression alive(QStringLiteral("nodes alive: ([^\\n]*)"));
    QString last;
    for (auto it = alive.globalMatch(*log); it.hasNext();)
        last = it.next().captured(1).trimmed();
    return !last.isEmpty() && last.split(QStringLiteral(", ")).size() == count;
}

QString sessionHolder(const DeliveryFixture &node, const QString &deviceId, const QString &app)
{
    QString error;
    const auto storage = TestDatabase::open(node.server().dataDir(), &error);
    const auto device = storage ? storage->deviceByDeviceId(deviceId) : std::nullopt;
    if (!device)
        return QStringLiteral("error: ") + error;
    return storage->sessionHolder(device->id, app, QDateTime::currentMSecsSinceEpoch() - 3000).value_or(QString());
}

std::unique_ptr<SessionChannel> foregroundSession(DeliveryFixture &node, const QString &deviceToken, const QString &app)
{
    auto session = node.openSession(deviceToken);
    if (!session || !session->setState(app, protocol::UiState::Foreground) || !DeliveryFixture::caughtUp(*session))
        return nullptr;
    return session;
}

} // namespace herald::test::ClusterNodes
