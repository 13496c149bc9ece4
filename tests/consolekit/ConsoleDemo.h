#pragma once

#include "DeliveryFixture.h"

#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace herald {
class SessionChannel;
namespace standin {
class ApnsStandin;
}
} // namespace herald

namespace herald::test {

// A real herald-server for the console's GUI tests and screenshots: iOS pushes go to the local
// APNs stand-in, Android pushes to a recording provider that holds each push for ten minutes (so
// they stay pending), other platforms have no provider; every device of an account is a target. populate() builds the demo scene: users,
// devices in every presence state (real session channels), and delivered, pending and failed
// notifications.
class ConsoleDemo
{
public:
    ConsoleDemo();
    ~ConsoleDemo();

    bool start(QString *error);
    DeliveryFixture &fixture() { return *m_fixture; }
    standin::ApnsStandin &apns() { return *m_apns; }
    QString baseUrl() const;
    QString adminPassword() const;
    // A bearer token of the admin operator, for checks and set-up through the API.
    QString adminToken();

    // Registers a device; returns its device token (empty on failure).
    QString registerDevice(const QString &account, const QString &password, const QString &deviceId,
                           const QString &platform, const QString &name, const QString &pushToken = {});
    // Logs the device in and opens its session channel (kept open until stop()); empty `state`
    // leaves the app's state unset.
    SessionChannel *connect(const QString &deviceToken, const QString &state = {});
    // The id of the new notification, or empty.
    QString postEvent(const QString &account, const QString &eventId);

    bool populate(QString *error);
    // The APNs token registerDevice() gives an iOS device.
    static QString apnsTokenFor(const QString &deviceId);
    // chen-iphone's APNs token, which the stand-in answers 410 Unregistered.
    static constexpr const char *DeadToken = "deaddeaddeaddeaddeaddeaddeaddeaddeaddeaddeaddeaddeaddeaddeaddead";

private:
    QTemporaryDir m_keys;
    std::unique_ptr<standin::ApnsStandin> m_apns;
    std::unique_ptr<DeliveryFixture> m_fixture;
    std::vector<std::unique_ptr<SessionChannel>> m_sessions;
    QString m_adminToken;
};

} // namespace herald::test
