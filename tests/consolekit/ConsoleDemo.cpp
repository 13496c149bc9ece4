#include "ConsoleDemo.h"

#include "ApnsStandin.h"
#include "SessionChannel.h"
#include "TestPki.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

namespace herald::test {
namespace {
bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}
} // namespace

ConsoleDemo::ConsoleDemo() = default;

ConsoleDemo::~ConsoleDemo()
{
    m_sessions.clear();
    if (m_fixture && m_fixture->server().process().state() != QProcess::NotRunning)
        m_fixture->server().stop();
}

bool ConsoleDemo::start(QString *error)
{
    using standin::ApnsStandin;
    using standin::TestPki;
    const TestPki::Certificate tls = TestPki::selfSigned();
    const QByteArray p8 = TestPki::ecP256PrivateKey();
    ApnsStandin::Options o;
    o.certPem = tls.certPem;
    o.keyPem = tls.keyPem;
    o.tokenPublicKeyPem = TestPki::publicKeyOf(p8);
    o.topics = {QStringLiteral("com.example.remote")};
    m_apns = std::make_unique<ApnsStandin>(o);
    if (!m_apns->listen()) {
        *error = QStringLiteral("the APNs stand-in cannot listen");
        return false;
    }
    const QString ca = m_keys.filePath(QStringLiteral("ca.pem"));
    const QString key = m_keys.filePath(QStringLiteral("AuthKey.p8"));
    if (!writeFile(ca, tls.certPem) || !writeFile(key, p8)) {
        *error = QStringLiteral("cannot write the stand-in's keys");
        return false;
    }
    // Every device of an account gets each notification, so the demo shows all outcomes at once.
    const QByteArray ini = QStringLiteral("[dispatch]\ntarget_policy = all\n\n[push.apns]\ntype = apns\nhost = 127.0.0.1\nport = %1\nca_file = %2\n"
                                          "team_id = %3\nkey_id = %4\nkey_file = %5\ntopic = com.example.remote\n\n"
                                          // Android pushes wait ten minutes: they show as pending.
                                          "[push.android]\ntype = recording\nplatforms = android\ndelay_ms = 600000\n")
                               .arg(m_apns->port())
                               .arg(ca, o.teamId, o.keyId, key)
                               .toUtf8();
    m_fixture = std::make_unique<DeliveryFixture>(QStringList(), ini);
    if (!m_fixture->start()) {
        *error = QStringLiteral("the server did not start: ") + m_fixture->server().output().right(2000);
        return false;
    }
    return true;
}

QString ConsoleDemo::baseUrl() const
{
    return m_fixture->server().baseUrl();
}

QString ConsoleDemo::adminPassword() const
{
    QFile file(m_fixture->server().dataDir() + QStringLiteral("/initial-admin-password"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).trimmed() : QString();
}

QString ConsoleDemo::adminToken()
{
    if (m_adminToken.isEmpty()) {
        const auto reply = m_fixture->http().post(QStringLiteral("/admin/v1/login"),
                                                  QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                                              {QStringLiteral("password"), adminPassword()}});
        m_adminToken = reply.json().object().value(QStringLiteral("token")).toString();
    }
    return m_adminToken;
}

QString ConsoleDemo::apnsTokenFor(const QString &deviceId)
{
    return QString::fromLatin1(QCryptographicHash::hash(deviceId.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString ConsoleDemo::registerDevice(const QString &account, const QString &password, const QString &deviceId,
                                    const QString &platform, const QString &name, const QString &pushToken)
{
    QJsonObject device{{QStringLiteral("id"), deviceId},
                       {QStringLiteral("platform"), platform},
                       {QStringLiteral("name"), name}};
    // APNs tokens are hex; a digest of the device id makes a stable one.
    const QString generated = platform == QLatin1String("ios") ? apnsTokenFor(deviceId) : QStringLiteral("token-") + deviceId;
    if (platform == QLatin1String("ios") || platform == QLatin1String("android"))
        device.insert(QStringLiteral("pushToken"), pushToken.isEmpty() ? generated : pushToken);
    const QJsonObject body{{QStringLiteral("username"), account},
                           {QStringLiteral("password"), password},
                           {QStringLiteral("device"), device},
                           {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}};
    const auto reply = m_fixture->http().post(QStringLiteral("/v1/register"), body);
    return reply.status == 201 ? reply.json().object().value(QStringLiteral("deviceToken")).toString() : QString();
}

SessionChannel *ConsoleDemo::connect(const QString &deviceToken, const QString &state)
{
    if (!m_fixture->login(deviceToken))
        return nullptr;
    std::unique_ptr<SessionChannel> channel = m_fixture->openSession(deviceToken);
    if (!channel)
        return nullptr;
    protocol::UiState ui;
    if (!state.isEmpty() && (!protocol::uiStateFromName(state, &ui) || !channel->setState(QStringLiteral("mail"), ui)))
        return nullptr;
    m_sessions.push_back(std::move(channel));
    return m_sessions.back().get();
}

QString ConsoleDemo::postEvent(const QString &account, const QString &eventId)
{
    QString id;
    return m_fixture->postEvent(eventId, &id, QStringLiteral("mail"), account) == 202 ? id : QString();
}

bool ConsoleDemo::populate(QString *error)
{
    const QString alicePassword = QString::fromLatin1(DeliveryFixture::Password);
    for (const char *name : {"bob", "chen", "dana"}) {
        if (!m_fixture->server().addUser(QString::fromLatin1(name), QStringLiteral("demo-password"))) {
            *error = QStringLiteral("cannot add user %1").arg(QLatin1String(name));
            return false;
        }
    }
    const QString demo = QStringLiteral("demo-password");
    struct Device
    {
        QString account, password, id, platform, name, state; // state: "" = offline
        bool connect;
    };
    const QList<Device> devices{
        {QStringLiteral("alice"), alicePassword, QStringLiteral("alice-iphone"), QStringLiteral("ios"), QStringLiteral("iPhone 15"), QStringLiteral("foreground"), true},
        {QStringLiteral("alice"), alicePassword, QStringLiteral("alice-pixel"), QStringLiteral("android"), QStringLiteral("Pixel 8"), QStringLiteral("background"), true},
        {QStringLiteral("bob"), demo, QStringLiteral("bob-ipad"), QStringLiteral("ios"), QStringLiteral("iPad Air"), QString(), false},
        {QStringLiteral("bob"), demo, QStringLiteral("bob-laptop"), QStringLiteral("desktop"), QStringLiteral("ThinkPad"), QStringLiteral("closed"), true},
        {QStringLiteral("chen"), demo, QStringLiteral("chen-iphone"), QStringLiteral("ios"), QStringLiteral("iPhone 13"), QString(), false},
        {QStringLiteral("dana"), demo, QStringLiteral("dana-browser"), QStringLiteral("web"), QStringLiteral("Firefox"), QString(), false},
    };
    standin::ApnsStandin::Behaviour dead;
    dead.status = 410;
    dead.reason = QStringLiteral("Unregistered");
    m_apns->setBehaviour(QString::fromLatin1(DeadToken), dead);
    for (const Device &d : devices) {
        const QString token = registerDevice(d.account, d.password, d.id, d.platform, d.name,
                                             d.id == QLatin1String("chen-iphone") ? QString::fromLatin1(DeadToken) : QString());
        if (token.isEmpty()) {
            *error = QStringLiteral("cannot register device %1").arg(d.id);
            return false;
        }
        // Every device logs in (that is what makes its apps targets); some also keep a session open.
        if (d.connect ? !connect(token, d.state) : !m_fixture->login(token)) {
            *error = QStringLiteral("cannot log in or open a session for device %1").arg(d.id);
            return false;
        }
    }
    int n = 0;
    for (const char *account : {"alice", "bob", "chen", "dana", "alice", "bob"}) {
        if (postEvent(QString::fromLatin1(account), QStringLiteral("demo-%1").arg(++n)).isEmpty()) {
            *error = QStringLiteral("cannot post an event for %1").arg(QLatin1String(account));
            return false;
        }
    }
    return true;
}

} // namespace herald::test
