#include "admin/AdminTestPush.h"

#include "admin/AdminSessions.h"
#include "admin/AuditLog.h"
#include "admin/TestPushRun.h"
#include "api/JsonFields.h"
#include "dispatch/Dispatcher.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "storage/Storage.h"
#include "crypto/RandomToken.h"

#include <QPointer>

#include <memory>

namespace herald {
namespace {

const QStringList PrivacyLevels{QStringLiteral("full"), QStringLiteral("summary"), QStringLiteral("generic"),
                                QStringLiteral("none"), QStringLiteral("encrypted")};

} // namespace

AdminTestPush::AdminTestPush(Storage &storage, AdminSessions &sessions, AuditLog &audit, Dispatcher &dispatcher,
                             const ProviderRegistry &providers, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_sessions(sessions)
    , m_audit(audit)
    , m_dispatcher(dispatcher)
    , m_providers(providers)
{
}

void AdminTestPush::registerRoutes(Router &router)
{
    router.add("POST", QStringLiteral("/admin/v1/test-push"), [this](const HttpRequest &r) { return testPush(r); });
}

HttpResponse AdminTestPush::testPush(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    JsonFields body = JsonFields::fromRequest(request);
    const QString deviceId = body.requiredString(QStringLiteral("deviceId"), 128);
    const QString text = body.optionalString(QStringLiteral("text"), MaxText);
    QString privacy;
    if (body.ok() && body.has(QStringLiteral("privacy")))
        privacy = body.requiredEnum(QStringLiteral("privacy"), PrivacyLevels);
    if (!body.ok())
        return HttpResponse::error(body.error());
    if (m_running >= MaxRunning)
        return HttpResponse::error(protocol::ApiError{
            429, QStringLiteral("too_many_requests"),
            QStringLiteral("%1 test pushes are waiting for their verdict; try again in a few seconds").arg(m_running)});

    const QDateTime now = QDateTime::currentDateTimeUtc();
    NotificationRecord n;
    n.id = RandomToken::timeOrderedUuid();
    n.source = QStringLiteral("test-push");
    n.eventId = n.id;
    // The text is the subject as well as the body: at privacy "full" a push shows the sender and the
    // subject, in-band shows the body.
    n.sender = QStringLiteral("Herald");
    n.subject = text.isEmpty() ? QStringLiteral("Test notification from %1").arg(auth.session->operatorName) : text;
    n.body = n.subject;
    n.receivedAt = n.createdAt = now;
    n.expiresAt = now.addSecs(LifetimeSecs);
    n.state = NotificationState::Test;
    DeliveryRecord d;
    d.id = RandomToken::timeOrderedUuid();
    d.notificationId = n.id;
    d.createdAt = now;

    HttpResponse response;
    response.deferred = [this, n, d, deviceId, privacy, operatorName = auth.session->operatorName,
                         peer = request.peer](std::function<void(HttpResponse)> answer) mutable {
        ++m_running;
        auto done = [self = QPointer<AdminTestPush>(this), answer = std::move(answer)](const HttpResponse &r) {
            if (self)
                --self->m_running;
            answer(r);
        };
        struct Made
        {
            std::optional<protocol::ApiError> refused;
            NotificationRecord notification;
            DeliveryRecord delivery;
            DeviceRecord device;
        };
        auto made = std::make_shared<Made>();
        // The device, the rows and the audit entry in one unit of the background writer.
        m_storage.writeInBackground(
            [made, n, d, deviceId, operatorName, peer](Storage &storage) mutable {
                const auto device = storage.deviceByDeviceId(deviceId);
                if (!device) {
                    made->refused = protocol::ApiError::notFound(QStringLiteral("no device with id '%1'").arg(deviceId.left(64)));
                    return false;
                }
                if (device->apps.isEmpty()) {
                    made->refused = protocol::ApiError{409, QStringLiteral("conflict"),
                                                       QStringLiteral("the device has no app registered, so nothing would show a notification")};
                    return false;
                }
                n.accountId = device->accountId;
                n.app = device->apps.constFirst();
                d.deviceId = device->id;
                const auto account = storage.accountById(device->accountId);
                const QString target = QStringLiteral("%1 (%2) %3").arg(deviceId, account ? account->name : QString(), n.id);
                made->notification = n;
                made->delivery = d;
                made->device = *device;
                return storage.insertNotification(n) && storage.insertDelivery(d) &&
                       AuditLog::append(storage, operatorName, QStringLiteral("device.test-push"), target, peer);
            },
            [self = QPointer<AdminTestPush>(this), made, privacy, done](bool ok) mutable {
                if (!self)
                    return; // the server is going down: the connection goes with it
                if (made->refused || !ok) {
                    done(HttpResponse::error(made->refused ? *made->refused : protocol::ApiError::internal()));
                    return;
                }
                // Watching first: an in-band delivery to a terminal can be acked before route() returns.
                new TestPushRun(self->m_storage, self->m_dispatcher, self->m_providers, made->delivery.id,
                                made->notification.id, BoundMs, std::move(done), self);
                if (!privacy.isEmpty())
                    self->m_dispatcher.setTestPrivacy(made->notification.id, privacy);
                self->m_dispatcher.dispatchNew(made->delivery, made->notification, made->device);
            });
    };
    return response;
}

} // namespace herald
