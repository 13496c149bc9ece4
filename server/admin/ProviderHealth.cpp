#include "admin/ProviderHealth.h"

#include "admin/AdminLog.h"
#include "push/Provider.h"

#include <algorithm>

namespace herald {

void ProviderHealth::watch(Provider *provider)
{
    const QString name = provider->name();
    m_states.insert(name, State{name, false, {}, 0});
    connect(provider, &Provider::alarm, this, [this, name](const QString &reason) { set(name, true, reason); });
    connect(provider, &Provider::finished, this, [this, name](const PushResult &result) { onFinished(name, result); });
}

QList<ProviderHealth::State> ProviderHealth::states() const
{
    QList<State> list = m_states.values();
    std::sort(list.begin(), list.end(), [](const State &a, const State &b) { return a.name < b.name; });
    return list;
}

void ProviderHealth::onFinished(const QString &name, const PushResult &result)
{
    State &state = m_states[name];
    switch (result.outcome) {
    case PushResult::Outcome::ProviderAuthFailed:
        set(name, true, QStringLiteral("the provider refused our credentials (%1)").arg(result.reason.left(128)));
        return;
    case PushResult::Outcome::RetryLater:
        if (result.httpStatus != 0)
            break; // it answered (429, 5xx): busy, not broken
        if (++state.connectionFailures >= ConnectionFailuresForAlarm)
            set(name, true, QStringLiteral("%1 pushes in a row got no answer (%2)")
                                .arg(state.connectionFailures)
                                .arg(result.reason.isEmpty() ? QStringLiteral("no connection") : result.reason.left(128)));
        return;
    case PushResult::Outcome::Delivered:
        state.connectionFailures = 0;
        set(name, false, {});
        return;
    case PushResult::Outcome::TokenDead:
    case PushResult::Outcome::Rejected:
        break; // about one device or message, not about the provider
    }
    state.connectionFailures = 0;
}

void ProviderHealth::set(const QString &name, bool alarm, const QString &reason)
{
    State &state = m_states[name];
    state.name = name;
    if (state.alarm == alarm && state.reason == reason)
        return;
    state.alarm = alarm;
    state.reason = reason;
    if (alarm)
        qCWarning(lcAdmin).noquote() << "push provider" << name << "in alarm:" << reason;
    else
        qCInfo(lcAdmin).noquote() << "push provider" << name << "works again";
    Q_EMIT stateChanged(name, alarm ? QStringLiteral("alarm") : QStringLiteral("ok"), reason);
}

} // namespace herald
