#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace herald {

// Remembered console passwords, kept only in the OS keychain (Secret Service, KWallet, macOS
// Keychain, Windows Credential Manager) through QtKeychain. Never falls back to a plain-text file:
// when no keychain service is there, saving fails and the caller says so.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    explicit CredentialStore(QObject *parent = nullptr);

    // `ok` false comes with a user-facing reason.
    using Done = std::function<void(bool ok, const QString &message)>;
    void save(const QString &account, const QString &password, Done done);
    void load(const QString &account, std::function<void(bool ok, const QString &passwordOrMessage)> done);
    void forget(const QString &account);

    // Keychain entries are per server and operator: "operator@https://host:port".
    static QString accountKey(const QString &serverUrl, const QString &operatorName);
    static const QString ServiceName;
};

} // namespace herald
