#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace herald {

class Provider;
struct PushResult;

// Whether each push provider works, as an operator needs to know it: "ok", or "alarm" with the
// reason. A provider is in alarm when
// - it raised alarm() itself (its credentials were refused, its token cannot be signed or fetched),
//   or answered a push with ProviderAuthFailed;
// - or ConnectionFailuresForAlarm pushes in a row got no HTTP answer at all (unreachable, TLS, reset).
// The next push it accepts clears the alarm: the trouble is over once pushes go through again.
class ProviderHealth : public QObject
{
    Q_OBJECT
public:
    struct State
    {
        QString name;
        bool alarm = false;
        QString reason; // empty when ok
        int connectionFailures = 0;
    };
    static constexpr int ConnectionFailuresForAlarm = 3;

    using QObject::QObject;
    void watch(Provider *provider);
    QList<State> states() const;
    State state(const QString &name) const { return m_states.value(name); }

signals:
    void stateChanged(const QString &name, const QString &state, const QString &reason); // "ok" | "alarm"

private:
    void onFinished(const QString &name, const PushResult &result);
    void set(const QString &name, bool alarm, const QString &reason);

    QHash<QString, State> m_states;
};

} // namespace herald
