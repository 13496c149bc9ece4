#include "push/ProviderFactory.h"

#include <QEventLoop>
#include <QLoggingCategory>
#include <QTimer>
#include <QUuid>

#include "push/ApnsProvider.h"
#include "push/FcmProvider.h"
#include "push/WebPushProvider.h"

Q_LOGGING_CATEGORY(lcPush, "herald.push", QtInfoMsg)

namespace herald {
namespace {

const char *typeName(ProviderSettings::Type type)
{
    switch (type) {
    case ProviderSettings::Type::Apns:
        return "apns";
    case ProviderSettings::Type::Fcm:
        return "fcm";
    case ProviderSettings::Type::WebPush:
        return "webpush";
    }
    return "?";
}

} // namespace

std::unique_ptr<Provider> ProviderFactory::create(const ProviderSettings &settings, QObject *parent)
{
    qCInfo(lcPush).nospace() << "provider [" << settings.section << "] "
                             << typeName(settings.type) << " -> "
                             << (settings.host.isEmpty() ? QStringLiteral("each subscription's push service")
                                                         : settings.host + QLatin1Char(':') + QString::number(settings.port))
                             << ", " << settings.connections << " connection(s)";
    switch (settings.type) {
    case ProviderSettings::Type::Apns:
        return std::make_unique<ApnsProvider>(settings, parent);
    case ProviderSettings::Type::Fcm:
        return std::make_unique<FcmProvider>(settings, parent);
    case ProviderSettings::Type::WebPush:
        return std::make_unique<WebPushProvider>(settings, parent);
    }
    return nullptr;
}

QString ProviderFactory::outcomeName(PushResult::Outcome outcome)
{
    switch (outcome) {
    case PushResult::Outcome::Delivered:
        return QStringLiteral("Delivered");
    case PushResult::Outcome::RetryLater:
        return QStringLiteral("RetryLater");
    case PushResult::Outcome::TokenDead:
        return QStringLiteral("TokenDead");
    case PushResult::Outcome::Rejected:
        return QStringLiteral("Rejected");
    case PushResult::Outcome::ProviderAuthFailed:
        return QStringLiteral("ProviderAuthFailed");
    }
    return QStringLiteral("Unknown");
}

int ProviderFactory::runProviderTest(const ProviderSettings &settings, const QString &deviceToken,
                                     QTextStream &out, int timeoutMs)
{
    std::unique_ptr<Provider> provider = create(settings);
    PushMessage m;
    m.deliveryId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m.notificationId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m.platform = settings.type == ProviderSettings::Type::Apns  ? QStringLiteral("ios")
                 : settings.type == ProviderSettings::Type::Fcm ? QStringLiteral("android")
                                                                : QStringLiteral("web");
    m.pushToken = deviceToken.trimmed();
    m.title = QStringLiteral("Herald");
    m.body = QStringLiteral("Test push from herald-server");
    m.uri = QStringLiteral("herald://test");

    std::optional<PushResult> verdict;
    QStringList alarms;
    QEventLoop loop;
    QObject::connect(provider.get(), &Provider::finished, &loop, [&](const PushResult &r) {
        verdict = r;
        loop.quit();
    });
    QObject::connect(provider.get(), &Provider::alarm, &loop, [&](const QString &a) { alarms << a; });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    out << "provider: " << settings.section << " (" << provider->name() << ") " << settings.host << ':'
        << settings.port << '\n';
    out << "device token: " << m.pushToken.left(8) << "…\n";
    out.flush();
    QMetaObject::invokeMethod(
        &loop, [&] { provider->send(m); }, Qt::QueuedConnection);
    loop.exec();
    for (const QString &a : std::as_const(alarms))
        out << "alarm: " << a << '\n';
    if (!verdict) {
        out << "verdict: no answer within " << timeoutMs / 1000 << " s\n";
        out.flush();
        return 2;
    }
    out << "verdict: " << outcomeName(verdict->outcome);
    if (verdict->httpStatus)
        out << " (HTTP " << verdict->httpStatus << ')';
    if (!verdict->reason.isEmpty())
        out << " reason: " << verdict->reason;
    if (!verdict->providerMessageId.isEmpty())
        out << " id: " << verdict->providerMessageId;
    if (verdict->retryAfterSecs >= 0)
        out << " retry-after: " << verdict->retryAfterSecs << " s";
    out << '\n';
    out.flush();
    return verdict->outcome == PushResult::Outcome::Delivered ? 0 : 1;
}

} // namespace herald
