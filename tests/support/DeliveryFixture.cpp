#include "DeliveryFixture.h"

#include "SessionChannel.h"
#include "TlsTrust.h"
#include "TestDatabase.h"
#include "storage/Storage.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

namespace herald::test {

DeliveryFixture::DeliveryFixture(const QStringList &serverArgs, const QByteArray &configIni)
    : m_args(serverArgs)
{
    if (!configIni.isEmpty()) {
        m_configPath = m_server.dataDir() + QStringLiteral(".ini");
        QFile f(m_configPath);
        f.open(QIODevice::WriteOnly);
        f.write(configIni);
        m_args << QStringLiteral("--config") << m_configPath;
    }
}

DeliveryFixture::~DeliveryFixture() = default;

std::unique_ptr<DeliveryFixture> DeliveryFixture::joining(const DeliveryFixture &first, const QStringList &serverArgs,
                                                          const QByteArray &configIni)
{
    auto node = std::make_unique<DeliveryFixture>(serverArgs, configIni);
    node->m_server.shareDatabaseOf(first.m_server.databaseDir());
    node->m_sourceToken = first.m_sourceToken;
    node->m_joined = true;
    return node;
}

bool DeliveryFixture::start()
{
    if (m_joined) {
        if (!m_server.start(m_args))
            return false;
        m_http = std::make_unique<HttpsClient>(m_server.baseUrl(), m_server.caCertificates());
        return true;
    }
    if (!m_server.addUser(QStringLiteral("alice"), QString::fromLatin1(Password)))
        return false;
    const auto source = m_server.runCommand({QStringLiteral("source"), QStringLiteral("add"), QStringLiteral("crm")});
    m_sourceToken = source.out.trimmed();
    if (source.exitCode != 0 || m_sourceToken.isEmpty())
        return false;
    if (!m_server.start(m_args))
        return false;
    m_http = std::make_unique<HttpsClient>(m_server.baseUrl(), m_server.caCertificates());
    return true;
}

bool DeliveryFixture::restart()
{
    if (m_server.process().state() != QProcess::NotRunning)
        m_server.stop();
    if (!m_server.start(m_args))
        return false;
    m_http = std::make_unique<HttpsClient>(m_server.baseUrl(), m_server.caCertificates());
    return true;
}

QString DeliveryFixture::registerDevice(const QString &deviceId, const QStringList &apps)
{
    const QJsonObject body{{QStringLiteral("username"), QStringLiteral("alice")},
                           {QStringLiteral("password"), QString::fromLatin1(Password)},
                           {QStringLiteral("device"), QJsonObject{{QStringLiteral("id"), deviceId},
                                                                  {QStringLiteral("platform"), QStringLiteral("android")},
                                                                  {QStringLiteral("pushToken"), QStringLiteral("push-") + deviceId}}},
                           {QStringLiteral("apps"), QJsonArray::fromStringList(apps)}};
    const auto reply = m_http->post(QStringLiteral("/v1/register"), body);
    return reply.status == 201 ? reply.json().object().value(QStringLiteral("deviceToken")).toString() : QString();
}

bool DeliveryFixture::login(const QString &deviceToken, const QStringList &apps)
{
    QJsonArray list;
    for (const QString &app : apps)
        list.append(QJsonObject{{QStringLiteral("app"), app}});
    return m_http->post(QStringLiteral("/v1/login"), QJsonObject{{QStringLiteral("apps"), list}}, deviceToken).status == 200;
}

int DeliveryFixture::postEvent(const QString &eventId, QString *id, const QString &app, const QString &account)
{
    const QJsonObject body{{QStringLiteral("account"), account},
                           {QStringLiteral("app"), app},
                           {QStringLiteral("eventId"), eventId},
                           {QStringLiteral("sender"), QStringLiteral("Bob")},
                           {QStringLiteral("subject"), QStringLiteral("Quarterly numbers")},
                           {QStringLiteral("body"), QStringLiteral("Please find them attached.")}};
    const auto reply = m_http->post(QStringLiteral("/v1/events"), body, m_sourceToken);
    if (id)
        *id = reply.json().object().value(QStringLiteral("id")).toString();
    return reply.status;
}

std::unique_ptr<SessionChannel> DeliveryFixture::openSession(const QString &deviceToken, bool autoAck)
{
    auto channel = std::make_unique<SessionChannel>();
    TlsTrust trust;
    QString error;
    trust.loadCaFile(m_server.certificatePath(), &error);
    channel->setTlsTrust(trust);
    channel->setServerUrl(QUrl(m_server.baseUrl()));
    channel->setDeviceToken(deviceToken);
    channel->setAutoAck(autoAck);
    QSignalSpy connected(channel.get(), &SessionChannel::connected);
    channel->open();
    if (!connected.wait(10000))
        return nullptr;
    return channel;
}

bool DeliveryFixture::caughtUp(SessionChannel &session, int timeoutMs)
{
    int pongs = 0;
    const QMetaObject::Connection counting =
        QObject::connect(&session, &SessionChannel::frameReceived, [&pongs](const protocol::SessionFrame &frame) {
            if (std::holds_alternative<protocol::PongFrame>(frame))
                ++pongs;
        });
    const bool sent = session.sendPing() && session.sendPing();
    const bool ok = sent && QTest::qWaitFor([&pongs] { return pongs >= 2; }, timeoutMs);
    QObject::disconnect(counting);
    return ok;
}

QList<QJsonObject> DeliveryFixture::pushes(const QString &notificationId) const
{
    QList<QJsonObject> out;
    QFile f(m_server.dataDir() + QStringLiteral("/pushes.jsonl"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (!o.isEmpty() && (notificationId.isEmpty() || o.value(QStringLiteral("nid")).toString() == notificationId))
            out.append(o);
    }
    return out;
}

QStringList DeliveryFixture::deliveries(const QString &notificationId) const
{
    QString error;
    const auto storage = TestDatabase::open(m_server.databaseDir(), &error);
    if (!storage)
        return {error};
    QStringList out;
    const auto rows = storage->deliveriesOfNotification(notificationId).value_or(QList<DeliveryRecord>());
    for (const DeliveryRecord &d : rows) {
        const auto device = storage->deviceById(d.deviceId);
        out << QStringLiteral("%1:%2:%3").arg(device ? device->deviceId : QStringLiteral("?"), toText(d.state), toText(d.channel));
    }
    return out;
}

} // namespace herald::test
