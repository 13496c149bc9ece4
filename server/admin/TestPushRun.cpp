#include "admin/TestPushRun.h"

#include "admin/AdminLog.h"
#include "admin/PushVerdictText.h"
#include "dispatch/Dispatcher.h"
#include "push/ProviderRegistry.h"
#include "storage/Storage.h"

#include <QPointer>

#include <memory>

namespace herald {

TestPushRun::TestPushRun(Storage &storage, Dispatcher &dispatcher, const ProviderRegistry &providers,
                         QString deliveryId, QString notificationId, int boundMs,
                         std::function<void(const HttpResponse &)> answer, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_dispatcher(dispatcher)
    , m_deliveryId(std::move(deliveryId))
    , m_notificationId(std::move(notificationId))
    , m_answer(std::move(answer))
{
    m_clock.start();
    // Connected after the Dispatcher's own handlers, so when these run it has recorded the outcome.
    for (Provider *provider : providers.providers())
        connect(provider, &Provider::finished, this,
                [this, provider](const PushResult &result) { onProviderFinished(provider, result); });
    connect(&m_dispatcher, &Dispatcher::deliveryFinished, this, &TestPushRun::onDeliveryFinished);
    m_bound.setSingleShot(true);
    connect(&m_bound, &QTimer::timeout, this, &TestPushRun::onTimeout);
    m_bound.start(boundMs);
}

void TestPushRun::lookThen(std::function<void(const Look &)> then)
{
    // Once the dispatcher's writes so far are committed (they go through the background writer),
    // on a reading connection: the event loop waits for neither.
    m_storage.whenDurable([self = QPointer<TestPushRun>(this), then = std::move(then)](bool) {
        if (!self)
            return;
        auto look = std::make_shared<Look>();
        self->m_storage.readInBackground(
            [look, id = self->m_deliveryId](Storage &storage) {
                look->delivery = storage.deliveryById(id);
                look->attempts = storage.deliveryAttempts(id).value_or(QList<DeliveryAttemptRecord>());
            },
            [self, look, then] {
                if (self && !self->m_done)
                    then(*look);
            });
    });
}

QJsonObject TestPushRun::inBandAttempt(const QList<DeliveryAttemptRecord> &attempts) const
{
    QDateTime sent, ended;
    for (const DeliveryAttemptRecord &a : attempts) {
        if (a.channel != AttemptChannel::InBand)
            continue;
        if (a.outcome == QLatin1String("sent"))
            sent = a.at;
        else
            ended = a.at;
    }
    if (!sent.isValid())
        return {};
    return {{QStringLiteral("channel"), QStringLiteral("in-band")},
            {QStringLiteral("delivered"), false},
            {QStringLiteral("acked"), false},
            {QStringLiteral("ms"), ended.isValid() ? sent.msecsTo(ended) : m_clock.elapsed()}};
}

void TestPushRun::onProviderFinished(Provider *provider, const PushResult &result)
{
    if (m_done || m_providerAnswered || result.deliveryId != m_deliveryId)
        return;
    m_providerAnswered = true; // the verdict; the delivery finishing after it adds nothing
    const bool delivered = result.outcome == PushResult::Outcome::Delivered;
    const QString name = QStringLiteral("push.") + provider->name();
    QJsonObject push{{QStringLiteral("channel"), QStringLiteral("push")},
                     {QStringLiteral("delivered"), delivered},
                     {QStringLiteral("provider"), name},
                     {QStringLiteral("status"), result.httpStatus},
                     {QStringLiteral("ms"), m_clock.elapsed()},
                     {QStringLiteral("message"),
                      PushVerdictText::describe(name, result.httpStatus, result.reason, delivered)}};
    if (delivered)
        push.insert(QStringLiteral("providerId"), result.providerMessageId);
    else
        push.insert(QStringLiteral("reason"), result.reason.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                      : QJsonValue(result.reason));
    // A test reports one try: the Dispatcher does not retry a test push (it cancels it instead).
    lookThen([this, push](const Look &look) {
        QJsonObject inBand = inBandAttempt(look.attempts);
        if (inBand.isEmpty()) {
            conclude(HttpResponse::json(200, push));
            return;
        }
        inBand.insert(QStringLiteral("fallback"), push);
        inBand.insert(QStringLiteral("message"),
                      QStringLiteral("The app looked open on the device but did not confirm the notification; it was "
                                     "pushed instead. ") + push.value(QStringLiteral("message")).toString());
        conclude(HttpResponse::json(200, inBand));
    });
}

void TestPushRun::onDeliveryFinished(const QString &deliveryId, DeliveryState state)
{
    if (m_done || m_providerAnswered || deliveryId != m_deliveryId)
        return;
    lookThen([this, state](const Look &look) { concludeFinished(state, look); });
}

void TestPushRun::concludeFinished(DeliveryState state, const Look &look)
{
    if (m_providerAnswered)
        return; // a push: its provider's answer concludes
    const auto &d = look.delivery;
    if (state == DeliveryState::Delivered && d && d->channel == DeliveryChannel::InBand) {
        conclude(HttpResponse::json(
            200, QJsonObject{{QStringLiteral("channel"), QStringLiteral("in-band")},
                             {QStringLiteral("delivered"), true},
                             {QStringLiteral("acked"), true},
                             {QStringLiteral("ms"), m_clock.elapsed()},
                             {QStringLiteral("message"),
                              QStringLiteral("Delivered in-band and acknowledged in %1 ms").arg(m_clock.elapsed())}}));
        return;
    }
    if (state == DeliveryState::Delivered)
        return; // a push: its provider's answer has concluded already
    // Finished without a provider's answer: no provider for the platform, or no push token.
    QString error = d ? d->lastError : QString();
    const bool noToken = error.startsWith(QLatin1String("no push channel"));
    if (error.startsWith(QLatin1String("no push provider for ")))
        error = QStringLiteral("no push provider serves platform %1").arg(error.section(QLatin1Char(' '), -1));
    QJsonObject verdict{{QStringLiteral("channel"), QStringLiteral("none")},
                        {QStringLiteral("delivered"), false},
                        {QStringLiteral("reason"), noToken                                  ? QStringLiteral("no_push_token")
                                                   : error.startsWith(QLatin1String("no push provider")) ? QStringLiteral("no_provider")
                                                                                            : toText(state)},
                        {QStringLiteral("ms"), m_clock.elapsed()},
                        {QStringLiteral("message"),
                         noToken ? QStringLiteral("The device registered without a push token: it can be reached only "
                                                  "while the app is open")
                                 : error.isEmpty() ? QStringLiteral("The delivery ended as %1").arg(toText(state))
                                                   : error.left(1).toUpper() + error.mid(1)}};
    const QJsonObject inBand = inBandAttempt(look.attempts);
    if (!inBand.isEmpty()) {
        QJsonObject withFallback = inBand;
        withFallback.insert(QStringLiteral("fallback"), verdict);
        verdict = withFallback;
    }
    conclude(HttpResponse::json(200, verdict));
}

void TestPushRun::onTimeout()
{
    if (m_done)
        return;
    qCInfo(lcAdmin) << "test push" << m_deliveryId << "has no verdict after" << m_clock.elapsed() << "ms";
    conclude(HttpResponse::error(protocol::ApiError{
        504, QStringLiteral("timeout"),
        QStringLiteral("no verdict within %1 s; the notification's history will show how it ends")
            .arg(m_clock.elapsed() / 1000)}));
}

void TestPushRun::conclude(const HttpResponse &response)
{
    m_done = true;
    m_bound.stop();
    m_dispatcher.setTestPrivacy(m_notificationId, {});
    m_answer(response);
    deleteLater();
}

} // namespace herald
