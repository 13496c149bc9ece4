#include "presence/GatewayPresence.h"

namespace herald {

std::optional<GatewayPresence::Ui> GatewayPresence::uiFromName(const QString &name)
{
    if (name == QLatin1String("foreground"))
        return Ui::Foreground;
    if (name == QLatin1String("background"))
        return Ui::Background;
    if (name == QLatin1String("closed"))
        return Ui::Closed;
    if (name == QLatin1String("disconnected"))
        return Ui::Disconnected;
    return std::nullopt;
}

QString GatewayPresence::uiName(Ui ui)
{
    switch (ui) {
    case Ui::Foreground:
        return QStringLiteral("foreground");
    case Ui::Background:
        return QStringLiteral("background");
    case Ui::Closed:
        return QStringLiteral("closed");
    case Ui::Disconnected:
        return QStringLiteral("disconnected");
    }
    return QStringLiteral("closed");
}

bool GatewayPresence::report(const Report &report, const QDateTime &now)
{
    const Key key{report.accountId, report.deviceId, report.app};
    auto it = m_reports.find(key);
    if (it == m_reports.end()) {
        if (m_reports.size() >= MaxReports)
            prune(now);
        if (m_reports.size() >= MaxReports)
            return false;
        it = m_reports.insert(key, {});
    }
    it->ui = report.ui;
    it->at = now;
    it->expiresAt = now.addSecs(qBound(1, report.ttlSecs, MaxTtlSecs));
    return true;
}

const GatewayPresence::Held *GatewayPresence::fresh(const Key &key, const QDateTime &now) const
{
    const auto it = m_reports.constFind(key);
    if (it == m_reports.cend() || it->expiresAt <= now)
        return nullptr;
    return &*it;
}

GatewayPresence::Verdict GatewayPresence::verdict(qint64 accountId, const QString &app, qint64 deviceId,
                                                  const QDateTime &now) const
{
    if (m_reports.isEmpty())
        return Verdict::None;
    if (const Held *device = fresh({accountId, deviceId, app}, now)) {
        // About this very device: when its own frames are newer, they decide, as without a gateway.
        const QDateTime clientAt = m_clientStateAt.value(deviceId).value(app);
        if (clientAt.isValid() && clientAt > device->at)
            return Verdict::None;
        return device->ui == Ui::Foreground ? Verdict::Foreground : Verdict::NotForeground;
    }
    if (const Held *account = fresh({accountId, 0, app}, now)) {
        // The remote session as a whole: "looking at it" covers every device; anything else says
        // nothing about a particular terminal, whose own frames then decide.
        return account->ui == Ui::Foreground ? Verdict::Foreground : Verdict::None;
    }
    return Verdict::None;
}

std::optional<GatewayPresence::View> GatewayPresence::view(qint64 accountId, const QString &app,
                                                          qint64 deviceId, const QDateTime &now) const
{
    if (m_reports.isEmpty())
        return std::nullopt;
    const Verdict decision = verdict(accountId, app, deviceId, now);
    if (const Held *device = fresh({accountId, deviceId, app}, now))
        return View{device->ui, device->at, device->expiresAt, false, decision != Verdict::None};
    if (const Held *account = fresh({accountId, 0, app}, now))
        return View{account->ui, account->at, account->expiresAt, true, decision != Verdict::None};
    return std::nullopt;
}

QHash<qint64, QHash<QString, GatewayPresence::View>> GatewayPresence::accountWideViews(const QDateTime &now) const
{
    QHash<qint64, QHash<QString, View>> views;
    for (auto it = m_reports.cbegin(); it != m_reports.cend(); ++it) {
        if (it.key().deviceId != 0 || it->expiresAt <= now)
            continue;
        views[it.key().accountId].insert(it.key().app,
                                         View{it->ui, it->at, it->expiresAt, true, it->ui == Ui::Foreground});
    }
    return views;
}

void GatewayPresence::noteClientState(qint64 deviceId, const QString &app, const QDateTime &now)
{
    m_clientStateAt[deviceId].insert(app, now);
}

void GatewayPresence::forgetClient(qint64 deviceId)
{
    m_clientStateAt.remove(deviceId);
}

void GatewayPresence::prune(const QDateTime &now)
{
    m_reports.removeIf([&now](const auto &entry) { return entry.value().expiresAt <= now; });
}

} // namespace herald
