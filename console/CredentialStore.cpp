#include "CredentialStore.h"

#include <qt6keychain/keychain.h>

namespace herald {

const QString CredentialStore::ServiceName = QStringLiteral("herald-console");

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
{
}

QString CredentialStore::accountKey(const QString &serverUrl, const QString &operatorName)
{
    return operatorName + QLatin1Char('@') + serverUrl;
}

void CredentialStore::save(const QString &account, const QString &password, Done done)
{
    auto *job = new QKeychain::WritePasswordJob(ServiceName, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(account);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) {
        if (finished->error() == QKeychain::NoError) {
            done(true, QString());
            return;
        }
        const QString reason = finished->error() == QKeychain::NoBackendAvailable
                                   ? tr("No keychain service is available")
                                   : finished->errorString();
        done(false, tr("The password was not remembered: %1.").arg(reason));
    });
    job->start();
}

void CredentialStore::load(const QString &account, std::function<void(bool, const QString &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(ServiceName, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (read->error() == QKeychain::NoError)
            done(true, read->textData());
        else
            done(false, read->errorString());
    });
    job->start();
}

void CredentialStore::forget(const QString &account)
{
    auto *job = new QKeychain::DeletePasswordJob(ServiceName, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(account);
    job->start();
}

} // namespace herald
