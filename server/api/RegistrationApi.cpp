#include "api/RegistrationApi.h"

#include "api/ApiLog.h"
#include "api/DeviceAuthenticator.h"
#include "api/JsonFields.h"
#include "api/PushKeyField.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "limits/RequestLimiter.h"
#include "registry/DeviceToken.h"
#include "registry/PasswordHasher.h"
#include "registry/PasswordWorkPool.h"
#include "storage/Storage.h"
#include "crypto/RandomToken.h"
#include "protocol/TerminalApi.h"

#include <QPointer>

#include <memory>

namespace herald {
namespace {

const QStringList Platforms{QStringLiteral("ios"), QStringLiteral("android"), QStringLiteral("web"),
                            QStringLiteral("desktop")};

} // namespace

RegistrationApi::RegistrationApi(Storage &storage, const PasswordHasher &hasher, PasswordWorkPool &pool,
                                 const DeviceAuthenticator &auth, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_pool(pool)
    , m_auth(auth)
    , m_dummyHash(hasher.hash(RandomToken::urlSafe(16)))
{
}

void RegistrationApi::registerRoutes(Router &router)
{
    router.add("POST", QStringLiteral("/v1/register"), [this](const HttpRequest &r) { return registerDevice(r); });
    router.add("DELETE", QStringLiteral("/v1/register"), [this](const HttpRequest &r) { return unregisterDevice(r); });
}

HttpResponse RegistrationApi::registerDevice(const HttpRequest &request)
{
    static const QRegularExpression deviceIdRe(QStringLiteral("^[\\x21-\\x7e]{1,128}\\z"));
    static const QRegularExpression apnsTokenRe(QStringLiteral("^[0-9a-fA-F]{64,200}\\z"));
    static const QRegularExpression printableRe(QStringLiteral("^[\\x21-\\x7e]+\\z"));
    static const QRegularExpression localeRe(QStringLiteral("^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,3}\\z"));
    static const QRegularExpression topicRe(QStringLiteral("^[A-Za-z0-9._-]{1,255}\\z"));

    JsonFields body = JsonFields::fromRequest(request);
    const QString username = body.requiredString(QStringLiteral("username"), 128);
    const QString password = body.requiredString(QStringLiteral("password"), PasswordHasher::MaxPasswordBytes);
    JsonFields device = body.requiredObject(QStringLiteral("device"));
    DeviceRecord record;
    record.deviceId = device.requiredString(QStringLiteral("id"), 128, &deviceIdRe);
    record.platform = device.requiredEnum(QStringLiteral("platform"), Platforms);
    const bool mobile = record.platform == QLatin1String("ios") || record.platform == QLatin1String("android");
    record.pushToken = mobile ? device.requiredString(QStringLiteral("pushToken"), 4096, &printableRe)
                              : device.optionalString(QStringLiteral("pushToken"), 4096, &printableRe);
    if (device.ok() && record.platform == QLatin1String("ios") && !apnsTokenRe.match(record.pushToken).hasMatch())
        device.fail(QStringLiteral("invalid_value"), QStringLiteral("device.pushToken must be an APNs hex token"));
    record.pushTopic = device.optionalString(QStringLiteral("pushTopic"), 255, &topicRe);
    record.locale = device.optionalString(QStringLiteral("locale"), 35, &localeRe);
    record.name = device.optionalString(QStringLiteral("name"), 128);
    const PushKeyField pushKey = PushKeyField::read(device);
    record.pushKeyP256dh = pushKey.p256dh;
    record.pushKeyAuth = pushKey.auth;
    body.adoptError(device);
    record.apps = body.stringArray(QStringLiteral("apps"), 32, &protocol::isAppName);
    if (!body.ok())
        return HttpResponse::error(body.error());
    if (password.toUtf8().size() > PasswordHasher::MaxPasswordBytes)
        return HttpResponse::error(protocol::ApiError::badRequest(QStringLiteral("invalid_value"),
                                                                  QStringLiteral("password is too long")));

    // Per account, only failed password checks count (credential stuffing): a token is taken now,
    // so a burst of guesses in flight at once is held too, and given back if the check passes.
    if (m_limiter) {
        if (auto refused = m_limiter->check(RequestLimiter::Limit::RegisterPerAccount, accountKey(username),
                                            QStringLiteral("/v1/register")))
            return *refused;
    }
    // The account's hash is read on a reading connection, then Argon2id (tens of milliseconds)
    // runs on the worker pool: the event loop waits for neither, and the answer for both.
    HttpResponse response;
    response.deferred = [this, password, username, peer = request.peer.toString(),
                         record](std::function<void(HttpResponse)> answer) {
        auto account = std::make_shared<std::optional<AccountRecord>>();
        m_storage.readInBackground(
            [username, account](Storage &storage) { *account = storage.accountByName(username); },
            [this, guard = QPointer<RegistrationApi>(this), account, password, username, peer, record, answer] {
                if (!guard)
                    return; // the server is going down
                const QString encoded = *account ? (*account)->passwordHash : m_dummyHash;
                const bool queued = m_pool.verify(password, encoded, this, [this, username, peer, record, answer](bool passwordOk) {
                    answer(finishRegistration(username, passwordOk, peer, record));
                });
                if (!queued) {
                    refundAccount(username); // not an attempt: the password was never checked
                    answer(busy());
                }
            });
    };
    return response;
}

QByteArray RegistrationApi::accountKey(const QString &username)
{
    return QByteArray("u") + username.toUtf8();
}

void RegistrationApi::refundAccount(const QString &username)
{
    if (m_limiter)
        m_limiter->refund(RequestLimiter::Limit::RegisterPerAccount, accountKey(username));
}

HttpResponse RegistrationApi::busy() const
{
    qCInfo(lcApi) << "registration refused: the password workers are full";
    if (m_limiter)
        m_limiter->noteRejected(QStringLiteral("/v1/register"), QStringLiteral("busy"));
    HttpResponse response = HttpResponse::error(protocol::ApiError{
        503, QStringLiteral("busy"), QStringLiteral("too many logins at once; try again shortly")});
    response.headers.append({"Retry-After", QByteArray::number(m_pool.retryAfterSecs())});
    return response;
}

HttpResponse RegistrationApi::finishRegistration(const QString &username, bool passwordOk, const QString &peer,
                                                 const DeviceRecord &record)
{
    // Read again after the wait (the account may have been disabled or removed meanwhile), with
    // the device's earlier registration, on a reading connection.
    struct Found
    {
        std::optional<AccountRecord> account;
        std::optional<DeviceRecord> previous;
    };
    auto found = std::make_shared<Found>();
    HttpResponse response;
    response.deferred = [this, found, username, passwordOk, peer, record](std::function<void(HttpResponse)> answer) {
        m_storage.readInBackground(
            [found, username, deviceId = record.deviceId](Storage &storage) {
                found->account = storage.accountByName(username);
                if (found->account)
                    found->previous = storage.deviceByDeviceId(deviceId);
            },
            [this, guard = QPointer<RegistrationApi>(this), found, username, passwordOk, peer, record, answer] {
                if (guard)
                    answer(storeRegistration(username, passwordOk, peer, found->account, found->previous, record));
            });
    };
    return response;
}

HttpResponse RegistrationApi::storeRegistration(const QString &username, bool passwordOk, const QString &peer,
                                                const std::optional<AccountRecord> &account,
                                                const std::optional<DeviceRecord> &previous, DeviceRecord record)
{
    if (!account || !passwordOk) {
        qCInfo(lcApi) << "registration refused: bad credentials from" << peer;
        Q_EMIT credentialsRefused(username);
        return HttpResponse::error(protocol::ApiError{401, QStringLiteral("invalid_credentials"),
                                                      QStringLiteral("unknown username or wrong password")});
    }
    refundAccount(username);
    if (account->disabled)
        return HttpResponse::error(
            protocol::ApiError{403, QStringLiteral("account_disabled"), QStringLiteral("the account is disabled")});

    const QString token = DeviceToken::generate();
    record.accountId = account->id;
    record.tokenHash = DeviceToken::hash(token);
    // The device's row is written by the background writer, off the event loop (with PostgreSQL a
    // write is a round trip; in a login storm these are thousands), and the 201 waits for its
    // commit: the token works the moment the client has it.
    HttpResponse response;
    response.deferred = [this, record, token, previousId = previous ? previous->id : 0,
                         accountName = account->name](std::function<void(HttpResponse)> answer) {
        m_storage.writeInBackground(
            [record](Storage &storage) {
                DeviceRecord device = record; // the unit may run twice (see SqlStorage::runUnits)
                return storage.upsertDevice(device);
            },
            [this, guard = QPointer<RegistrationApi>(this), record, token, previousId, accountName, answer](bool ok) {
                if (!guard)
                    return; // the server is going down
                if (!ok) {
                    qCWarning(lcApi) << "cannot store the registration of device" << record.deviceId;
                    answer(HttpResponse::error(protocol::ApiError::internal()));
                    return;
                }
                m_storage.forgetCachedTargets(); // the next event must see this device
                if (previousId)
                    Q_EMIT deviceTokenReplaced(previousId);
                qCInfo(lcApi) << (previousId ? "re-registered" : "registered") << "device" << record.deviceId
                              << "platform" << record.platform << "for account" << accountName;
                answer(HttpResponse::json(201, QJsonObject{{QStringLiteral("deviceToken"), token},
                                                           {QStringLiteral("deviceId"), record.deviceId}}));
            });
    };
    return response;
}

HttpResponse RegistrationApi::unregisterDevice(const HttpRequest &request)
{
    return m_auth.withDevice(request, this, [this](const DeviceAuthenticator::Result &auth) { return unregisterAs(auth); });
}

HttpResponse RegistrationApi::unregisterAs(const DeviceAuthenticator::Result &auth)
{
    if (!auth.device)
        return HttpResponse::error(auth.error);
    // Off the event loop like a registration; the 204 waits for the commit.
    HttpResponse response;
    response.deferred = [this, id = auth.device->id, deviceId = auth.device->deviceId,
                         accountName = auth.account->name](std::function<void(HttpResponse)> answer) {
        m_storage.writeInBackground([id](Storage &storage) { return storage.deleteDevice(id); },
                                    [this, guard = QPointer<RegistrationApi>(this), id, deviceId, accountName, answer](bool ok) {
                                        if (!guard)
                                            return; // the server is going down
                                        if (!ok) {
                                            answer(HttpResponse::error(protocol::ApiError::internal()));
                                            return;
                                        }
                                        m_storage.forgetCachedTargets();
                                        qCInfo(lcApi) << "unregistered device" << deviceId << "of account" << accountName;
                                        Q_EMIT deviceRemoved(id);
                                        answer(HttpResponse::noContent());
                                    });
    };
    return response;
}

} // namespace herald
