#include "api/PresenceApi.h"

#include "api/ApiLog.h"
#include "api/JsonFields.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "protocol/TerminalApi.h"
#include "registry/DeviceToken.h"
#include "storage/Storage.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace herald {
namespace {

bool isDeviceId(QStringView text) // the rule of registration: 1–128 printable ASCII, no spaces
{
    return !text.isEmpty() && text.size() <= 128 &&
           std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= 0x21 && c.unicode() <= 0x7e; });
}

void ignoredEntry(QJsonArray *ignored, int index, const char *reason)
{
    ignored->append(QJsonObject{{QStringLiteral("index"), index}, {QStringLiteral("reason"), QLatin1String(reason)}});
}

} // namespace

struct PresenceApi::Rows
{
    std::vector<qint64> accountIds; // per report; 0: unknown account
    std::vector<std::optional<DeviceRecord>> devices;
};

PresenceApi::PresenceApi(Storage &storage, GatewayPresence &gateway)
    : m_storage(storage)
    , m_gateway(gateway)
{
}

void PresenceApi::registerRoutes(Router &router)
{
    router.add("POST", QStringLiteral("/v1/presence"), [this](const HttpRequest &r) { return post(r); });
    router.allowBodyUpTo("POST", QStringLiteral("/v1/presence"), MaxBodyBytes);
}

bool PresenceApi::parseReport(const QJsonObject &object, const QString &prefix, Parsed *out, protocol::ApiError *error)
{
    JsonFields fields(object, prefix);
    out->account = fields.requiredString(QStringLiteral("account"), 128);
    out->app = fields.requiredString(QStringLiteral("app"), 64, &protocol::isAppName);
    const QString ui = fields.requiredEnum(QStringLiteral("ui"), {QStringLiteral("foreground"), QStringLiteral("background"),
                                                                  QStringLiteral("closed"), QStringLiteral("disconnected")});
    out->device = fields.optionalString(QStringLiteral("device"), 128);
    const QString where = prefix.isEmpty() ? QString() : prefix + QLatin1Char('.');
    if (fields.ok() && fields.has(QStringLiteral("device")) && !isDeviceId(out->device))
        fields.fail(QStringLiteral("invalid_value"),
                    QStringLiteral("%1device must be 1-128 printable ASCII characters without spaces").arg(where));
    out->report.ttlSecs = GatewayPresence::DefaultTtlSecs;
    if (fields.ok() && fields.has(QStringLiteral("ttlSecs"))) {
        const QJsonValue ttl = object.value(QStringLiteral("ttlSecs"));
        const double secs = ttl.toDouble();
        if (!ttl.isDouble())
            fields.fail(QStringLiteral("wrong_type"), QStringLiteral("%1ttlSecs must be a number").arg(where));
        else if (secs != std::floor(secs) || secs < 1 || secs > GatewayPresence::MaxTtlSecs)
            fields.fail(QStringLiteral("invalid_value"),
                        QStringLiteral("%1ttlSecs must be a whole number from 1 to %2").arg(where).arg(GatewayPresence::MaxTtlSecs));
        else
            out->report.ttlSecs = int(secs);
    }
    if (!fields.ok()) {
        *error = fields.error();
        return false;
    }
    out->report.app = out->app;
    out->report.ui = *GatewayPresence::uiFromName(ui);
    return true;
}

HttpResponse PresenceApi::post(const HttpRequest &request)
{
    const QString token = request.bearerToken();
    if (token.isEmpty())
        return HttpResponse::error(protocol::ApiError::unauthorized(QStringLiteral("a bearer presence source token is required")));
    const auto source = DeviceToken::looksValid(token) ? m_storage.sourceByTokenHash(DeviceToken::hash(token)) : std::nullopt;
    if (!source)
        return HttpResponse::error(
            protocol::ApiError{401, QStringLiteral("invalid_token"), QStringLiteral("the source token is unknown")});
    if (source->kind != QLatin1String("presence"))
        return HttpResponse::error(protocol::ApiError::forbidden(
            QStringLiteral("source %1 posts events; presence needs a source made with --kind presence").arg(source->name)));

    JsonFields body = JsonFields::fromRequest(request);
    if (!body.ok())
        return HttpResponse::error(body.error());
    const QJsonObject object = body.object();
    QList<Parsed> reports;
    protocol::ApiError error;
    if (object.contains(QStringLiteral("reports"))) {
        if (object.contains(QStringLiteral("account")))
            return HttpResponse::error(protocol::ApiError::badRequest(
                QStringLiteral("invalid_value"), QStringLiteral("send either one report or {\"reports\":[...]}, not both")));
        const QJsonValue list = object.value(QStringLiteral("reports"));
        if (!list.isArray())
            return HttpResponse::error(protocol::ApiError::badRequest(QStringLiteral("wrong_type"),
                                                                      QStringLiteral("reports must be an array")));
        const QJsonArray array = list.toArray();
        if (array.isEmpty() || array.size() > MaxReports)
            return HttpResponse::error(protocol::ApiError::badRequest(
                QStringLiteral("invalid_value"), QStringLiteral("reports must hold 1 to %1 reports").arg(MaxReports)));
        reports.reserve(array.size());
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString prefix = QStringLiteral("reports[%1]").arg(i);
            if (!array.at(i).isObject())
                return HttpResponse::error(protocol::ApiError::badRequest(QStringLiteral("wrong_type"),
                                                                          QStringLiteral("%1 must be an object").arg(prefix)));
            Parsed parsed;
            if (!parseReport(array.at(i).toObject(), prefix, &parsed, &error))
                return HttpResponse::error(error); // nothing of a malformed batch is applied
            reports.append(std::move(parsed));
        }
    } else {
        Parsed parsed;
        if (!parseReport(object, QString(), &parsed, &error))
            return HttpResponse::error(error);
        reports.append(std::move(parsed));
    }

    // Names to rows, on a reading connection: a batch may name a thousand users and devices.
    auto rows = std::make_shared<Rows>();
    HttpResponse response;
    response.deferred = [this, rows, reports, sourceName = source->name](std::function<void(HttpResponse)> answer) {
        m_storage.readInBackground(
            [rows, reports](Storage &storage) {
                QHash<QString, qint64> accounts;
                rows->accountIds.resize(size_t(reports.size()));
                rows->devices.resize(size_t(reports.size()));
                for (qsizetype i = 0; i < reports.size(); ++i) {
                    const Parsed &p = reports.at(i);
                    auto known = accounts.constFind(p.account);
                    if (known == accounts.cend()) {
                        const auto account = storage.accountByName(p.account);
                        known = accounts.insert(p.account, account ? account->id : 0);
                    }
                    rows->accountIds[size_t(i)] = *known;
                    if (*known != 0 && !p.device.isEmpty())
                        rows->devices[size_t(i)] = storage.deviceByDeviceId(p.device);
                }
            },
            [this, rows, reports, sourceName, answer]() mutable { answer(apply(reports, *rows, sourceName)); });
    };
    return response;
}

HttpResponse PresenceApi::apply(QList<Parsed> reports, const Rows &rows, const QString &sourceName)
{
    // A gateway knows users and terminals Herald may not: those reports are listed back as
    // ignored, the rest of the batch holds.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonArray ignored;
    int accepted = 0;
    for (int i = 0; i < reports.size(); ++i) {
        Parsed &p = reports[i];
        p.report.accountId = rows.accountIds.at(size_t(i));
        if (p.report.accountId == 0) {
            ignoredEntry(&ignored, i, "unknown_account");
            continue;
        }
        if (!p.device.isEmpty()) {
            const std::optional<DeviceRecord> &device = rows.devices.at(size_t(i));
            if (!device || device->accountId != p.report.accountId) {
                ignoredEntry(&ignored, i, "unknown_device");
                continue;
            }
            p.report.deviceId = device->id;
        }
        if (!m_gateway.report(p.report, now)) {
            ignoredEntry(&ignored, i, "table_full");
            continue;
        }
        ++accepted;
    }
    qCDebug(lcApi) << "presence from source" << sourceName << ":" << accepted << "accepted," << ignored.size()
                   << "ignored";
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("accepted"), accepted}, {QStringLiteral("ignored"), ignored}});
}

} // namespace herald
