#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

#include <optional>

namespace herald {

// What remote-app gateways (RDS session hosts, gateways, anything holding a presence source token)
// report about an account's remote apps: which one is in the foreground of the user's remote
// session. A report holds until it is replaced or its TTL runs out, so a gateway that goes silent
// never pins anyone as "looking". Kept in memory only: after a restart gateways report again within
// their TTL, and until then the terminals' own frames decide, as they always could.
class GatewayPresence
{
public:
    enum class Ui { Foreground, Background, Closed, Disconnected };
    // What a gateway says about one delivery's (account, app, device):
    //  None          - nothing fresh, or the terminal's own, newer frames are to decide;
    //  Foreground    - the user is looking at the app: nothing is to be pushed or sent in-band;
    //  NotForeground - a device report newer than that device's own frames says it is not on screen.
    enum class Verdict { None, Foreground, NotForeground };

    static constexpr int DefaultTtlSecs = 90;
    static constexpr int MaxTtlSecs = 3600;
    static constexpr qsizetype MaxReports = 200'000; // ~24 MB at most; past it new keys are refused

    struct Report
    {
        qint64 accountId = 0;
        QString app;
        qint64 deviceId = 0; // devices.id; 0: the account's remote session as a whole
        Ui ui = Ui::Closed;
        int ttlSecs = DefaultTtlSecs;
    };

    // What a gateway said, as the admin views show it beside the device's own state.
    struct View
    {
        Ui ui = Ui::Closed;
        QDateTime at;        // when the report came
        QDateTime expiresAt; // when it stops counting
        bool accountWide = false;
        bool decides = false; // whether it, not the device's own frames, decides deliveries now
    };

    static std::optional<Ui> uiFromName(const QString &name);
    static QString uiName(Ui ui);

    // False only when the table is full and the report is about a key not yet held.
    bool report(const Report &report, const QDateTime &now);
    Verdict verdict(qint64 accountId, const QString &app, qint64 deviceId, const QDateTime &now) const;
    // The fresh report that applies to this device and app: its own, else the account-wide one.
    std::optional<View> view(qint64 accountId, const QString &app, qint64 deviceId, const QDateTime &now) const;
    // Every fresh account-wide report, by account and app: one pass over the table for a whole list.
    QHash<qint64, QHash<QString, View>> accountWideViews(const QDateTime &now) const;
    // The terminal's own state frames: their time decides against a device report.
    void noteClientState(qint64 deviceId, const QString &app, const QDateTime &now);
    void forgetClient(qint64 deviceId);
    // Drops what has expired; the server calls it once a minute.
    void prune(const QDateTime &now);

    bool isEmpty() const { return m_reports.isEmpty(); }
    qsizetype size() const { return m_reports.size(); }

private:
    struct Key
    {
        qint64 accountId;
        qint64 deviceId;
        QString app;
        bool operator==(const Key &o) const { return accountId == o.accountId && deviceId == o.deviceId && app == o.app; }
    };
    friend size_t qHash(const Key &k, size_t seed) { return qHashMulti(seed, k.accountId, k.deviceId, k.app); }
    struct Held
    {
        Ui ui;
        QDateTime at;
        QDateTime expiresAt;
    };
    const Held *fresh(const Key &key, const QDateTime &now) const;

    QHash<Key, Held> m_reports;
    QHash<qint64, QHash<QString, QDateTime>> m_clientStateAt; // device -> app -> its last state frame
};

} // namespace herald
