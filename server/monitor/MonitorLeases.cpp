#include "monitor/MonitorLeases.h"

#include "monitor/MonitorManager.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QPointer>

#include <memory>

Q_LOGGING_CATEGORY(lcMonitorLeases, "herald.monitor.leases", QtInfoMsg)

namespace herald {

struct MonitorLeases::Pass
{
    std::optional<QList<LoginRecord>> claimed; // taken by this pass, whole
    QList<AccountRecord> accounts;             // of the claimed logins
    std::optional<QList<Storage::LoginKey>> held; // this run's after the pass
    int share = 0;
    QString error;
};

MonitorLeases::MonitorLeases(Storage &storage, MonitorManager &monitors, int heartbeatSecs, int timeoutSecs,
                             QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_monitors(monitors)
    , m_heartbeatSecs(std::max(1, heartbeatSecs))
    , m_timeoutSecs(timeoutSecs)
{
    connect(&m_timer, &QTimer::timeout, this, &MonitorLeases::pass);
}

qint64 MonitorLeases::aliveSince() const
{
    return QDateTime::currentMSecsSinceEpoch() - m_timeoutSecs * 1000LL;
}

int MonitorLeases::fairShare(const Storage::LoginShare &share, int liveNodes)
{
    const int nodes = std::max(1, liveNodes);
    return (share.total + nodes - 1) / nodes;
}

std::optional<QList<LoginRecord>> MonitorLeases::claimShare(Storage &s, qint64 aliveSince, int *share)
{
    const auto live = s.liveNodes(aliveSince);
    const auto counts = live ? s.loginShare() : std::nullopt;
    if (!counts)
        return std::nullopt;
    *share = fairShare(*counts, int(live->size()));
    const int room = *share - counts->mine;
    return room > 0 ? s.claimLogins(aliveSince, room) : QList<LoginRecord>();
}

void MonitorLeases::start()
{
    int share = 0;
    if (!claimShare(m_storage, aliveSince(), &share))
        qCWarning(lcMonitorLeases).noquote() << "cannot claim logins to watch:" << m_storage.lastError();
    m_monitors.resumeAll(); // every login this run holds, the ones it had before a restart included
    m_timer.start(m_heartbeatSecs * 1000);
}

void MonitorLeases::pass()
{
    if (m_passing)
        return;
    m_passing = true;
    auto result = std::make_shared<Pass>();
    const quint64 changesBefore = m_monitors.changeMark();
    m_storage.writeAloneInBackground(
        [result, since = aliveSince()](Storage &s) {
            *result = Pass{}; // a unit may run twice
            result->claimed = claimShare(s, since, &result->share);
            if (!result->claimed) {
                result->error = s.lastError();
                return false;
            }
            QSet<qint64> seen;
            for (const LoginRecord &login : std::as_const(*result->claimed)) {
                if (seen.contains(login.accountId))
                    continue;
                seen.insert(login.accountId);
                if (const auto account = s.accountById(login.accountId))
                    result->accounts.append(*account);
            }
            result->held = s.claimedLogins();
            if (!result->held)
                result->error = s.lastError();
            return result->held.has_value();
        },
        [self = QPointer<MonitorLeases>(this), result, changesBefore](bool) {
            if (!self)
                return; // the server is going down
            self->m_passing = false;
            if (!result->held) {
                qCWarning(lcMonitorLeases).noquote() << "cannot renew the monitors' leases:" << result->error;
                return;
            }
            self->passDone(*result, changesBefore);
        });
}

void MonitorLeases::passDone(const Pass &result, quint64 changesBefore)
{
    const int started = m_monitors.takeLeases(*result.held, *result.claimed, result.accounts, changesBefore);
    // Beyond the share (a node joined, or this one took logins at a login): give the rest back.
    // Their monitors stop first; the release is written behind whatever they stored before, and
    // another node starts them from that checkpoint at its next pass.
    const int excess = int(result.held->size()) - result.share;
    const QList<Storage::LoginKey> given = excess > 0 ? m_monitors.giveBack(*result.held, excess) : QList<Storage::LoginKey>();
    for (const Storage::LoginKey &key : given) {
        m_storage.writeInBackground(
            [key](Storage &s) { return s.releaseLogin(key.accountId, key.app); },
            [key](bool ok) {
                if (!ok)
                    qCWarning(lcMonitorLeases) << "cannot give back the login of account" << key.accountId << "app"
                                               << key.app << "; it is taken over when this server stops";
            });
    }
    if (!result.claimed->isEmpty() || !given.isEmpty())
        qCInfo(lcMonitorLeases) << "monitors: took" << result.claimed->size() << "login(s) over (" << started
                                << "started ), gave" << given.size() << "back; this node's share is" << result.share;
    Q_EMIT passFinished(int(result.claimed->size()), int(given.size()), int(result.held->size()) - int(given.size()));
}

} // namespace herald
