#include "monitor/MonitorManager.h"

#include "dispatch/AppSettings.h"
#include "dispatch/EventIngestor.h"
#include "storage/Storage.h"

#include <QLoggingCategory>
#include <QMetaEnum>

Q_LOGGING_CATEGORY(lcMonitorManager, "herald.monitor", QtInfoMsg)

namespace herald {

MonitorManager::MonitorManager(Storage &storage, const AppCatalog &apps, EventIngestor &ingestor, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_apps(apps)
    , m_ingestor(ingestor)
{
}

void MonitorManager::setSealer(Sealer seal, Sealer open)
{
    m_seal = std::move(seal);
    m_open = std::move(open);
}

QString MonitorManager::key(qint64 accountId, const QString &app)
{
    return QString::number(accountId) + QLatin1Char('/') + app;
}

bool MonitorManager::login(qint64 accountId, const QString &app, const QByteArray &credentials, QString *error)
{
    const auto account = m_storage.accountById(accountId);
    if (!account) {
        *error = QStringLiteral("unknown account");
        return false;
    }
    const AppSettings settings = m_apps.settings(app);
    // Credentials are kept only for apps whose monitor needs them, and only sealed.
    QByteArray stored;
    if (!credentials.isEmpty() && !settings.monitor.isEmpty()) {
        if (!m_seal) {
            *error = QStringLiteral("credentials cannot be stored: no key for sealing them");
            return false;
        }
        stored = m_seal(credentials, key(accountId, app).toUtf8());
        if (stored.isEmpty()) {
            *error = QStringLiteral("sealing the credentials failed");
            return false;
        }
    }
    if (!m_storage.upsertLogin(accountId, app, stored)) {
        *error = m_storage.lastError();
        return false;
    }
    if (!settings.monitor.isEmpty()) {
        delete m_monitors.take(key(accountId, app)); // a new login replaces the running monitor
        startMonitor(accountId, account->name, app, credentials, {});
    }
    return true;
}

bool MonitorManager::logout(qint64 accountId, const QString &app)
{
    if (Monitor *monitor = m_monitors.take(key(accountId, app))) {
        monitor->stop();
        monitor->deleteLater();
        Q_EMIT monitorStateChanged(accountId, app, QStringLiteral("stopped"), QStringLiteral("logged out"));
    }
    return m_storage.deleteLogin(accountId, app);
}

void MonitorManager::resumeAll()
{
    const auto logins = m_storage.logins();
    for (const LoginRecord &login : logins.value_or(QList<LoginRecord>())) {
        const AppSettings settings = m_apps.settings(login.app);
        if (settings.monitor.isEmpty())
            continue;
        const auto account = m_storage.accountById(login.accountId);
        if (!account || account->disabled)
            continue;
        QByteArray credentials;
        if (!login.credentials.isEmpty()) {
            credentials = m_open ? m_open(login.credentials, key(login.accountId, login.app).toUtf8()) : QByteArray();
            if (credentials.isEmpty()) {
                qCWarning(lcMonitorManager) << "cannot open stored credentials of account" << account->name << "app"
                                            << login.app << "; its monitor stays off";
                m_storage.setLoginMonitorState(login.accountId, login.app, QStringLiteral("failed"),
                                               QStringLiteral("stored credentials cannot be decrypted"));
                continue;
            }
        }
        startMonitor(login.accountId, account->name, login.app, credentials, login.checkpoint);
    }
}

void MonitorManager::stopAll()
{
    for (Monitor *monitor : std::as_const(m_monitors)) {
        monitor->stop();
        delete monitor;
    }
    m_monitors.clear();
}

void MonitorManager::startMonitor(qint64 accountId, const QString &account, const QString &app,
                                  const QByteArray &credentials, const QByteArray &checkpoint)
{
    const AppSettings settings = m_apps.settings(app);
    MonitorContext context{account, app, settings.privacy, credentials, checkpoint};
    QString error;
    Monitor *monitor = m_factory ? m_factory(settings.monitor, context, &error) : nullptr;
    if (!monitor) {
        if (error.isEmpty())
            error = QStringLiteral("no monitor of kind %1 is available").arg(settings.monitor);
        qCWarning(lcMonitorManager).noquote() << "account" << account << "app" << app << ":" << error;
        m_storage.setLoginMonitorState(accountId, app, QStringLiteral("failed"), error);
        return;
    }
    monitor->setParent(this);
    const QString source = QStringLiteral("monitor:%1:%2").arg(settings.monitor, account);
    connect(monitor, &Monitor::newInformation, this, [this, source](const MonitorEvent &e) {
        m_ingestor.ingest(source, EventInput{e.account, e.app, e.eventId, e.sender, e.subject, e.body, e.receivedAt});
    });
    connect(monitor, &Monitor::checkpointChanged, this, [this, accountId, account, app](const QByteArray &checkpoint) {
        // Behind the events it follows: the events go through the background writer, whose units
        // commit in order, so a checkpoint is never durable before the mail it moves past.
        m_storage.writeInBackground(
            [accountId, app, checkpoint](Storage &storage) {
                return storage.setLoginCheckpoint(accountId, app, checkpoint);
            },
            [account, app](bool ok) {
                if (!ok)
                    qCWarning(lcMonitorManager).noquote() << "cannot store the checkpoint of account" << account
                                                          << "app" << app;
            });
    });
    connect(monitor, &Monitor::stateChanged, this, [this, accountId, app, monitor](Monitor::State state) {
        m_storage.setLoginMonitorState(accountId, app, QString::fromLatin1(QMetaEnum::fromType<Monitor::State>().valueToKey(int(state))).toLower(),
                                       monitor->lastError());
        // The observers' four states: a monitor is on its way, watching, in trouble, or stopped.
        const QString observed = state == Monitor::State::Watching                                    ? QStringLiteral("watching")
                                 : state == Monitor::State::Idle || state == Monitor::State::Connecting ? QStringLiteral("starting")
                                 : state == Monitor::State::Stopped                                     ? QStringLiteral("stopped")
                                                                                                        : QStringLiteral("failing");
        Q_EMIT monitorStateChanged(accountId, app, observed, monitor->lastError());
    });
    connect(monitor, &Monitor::authenticationFailed, this, [this, accountId, app, account](const QString &reason) {
        qCWarning(lcMonitorManager).noquote() << "monitor of account" << account << "app" << app
                                              << "stopped: authentication failed";
        m_storage.setLoginMonitorState(accountId, app, QStringLiteral("failed"), reason);
        Q_EMIT monitorStateChanged(accountId, app, QStringLiteral("failing"), reason);
    });
    m_monitors.insert(key(accountId, app), monitor);
    monitor->start();
}

} // namespace herald
