#include "storage/postgresql/PgReconnector.h"

#include "storage/StorageLog.h"

#include <QSocketNotifier>

namespace herald {

PgReconnector::PgReconnector(PgConnection &connection, std::function<void()> reconnected, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_reconnected(std::move(reconnected))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &PgReconnector::attempt);
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        qCWarning(lcStorage) << "PostgreSQL did not answer a reconnect within" << AttemptMs << "ms";
        failed();
    });
}

PgReconnector::~PgReconnector() = default;

void PgReconnector::connectionLost()
{
    if (isReconnecting())
        return;
    m_timer.start(m_delayMs);
}

void PgReconnector::attempt()
{
    m_timeout.start(AttemptMs);
    step(m_connection.startReconnect());
}

void PgReconnector::step(PgConnection::Reconnect state)
{
    m_notifier.reset();
    switch (state) {
    case PgConnection::Reconnect::Done:
        m_timeout.stop();
        m_delayMs = FirstDelayMs;
        m_reconnected();
        return;
    case PgConnection::Reconnect::Failed:
        failed();
        return;
    case PgConnection::Reconnect::Reading:
    case PgConnection::Reconnect::Writing:
        break;
    }
    const int socket = m_connection.socket();
    if (socket < 0) {
        failed();
        return;
    }
    // The socket may change from one step to the next (another address of the host), so each step
    // watches the one libpq names now.
    m_notifier = std::make_unique<QSocketNotifier>(
        socket, state == PgConnection::Reconnect::Reading ? QSocketNotifier::Read : QSocketNotifier::Write);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, [this] {
        // Not from inside the notifier's own signal: step() replaces it. An attempt that timed out
        // meanwhile is over: its step must not start a second chain beside the next attempt.
        QMetaObject::invokeMethod(
            this,
            [this, attempt = m_attempt] {
                if (attempt == m_attempt)
                    step(m_connection.pollReconnect());
            },
            Qt::QueuedConnection);
        m_notifier->setEnabled(false);
    });
}

void PgReconnector::failed()
{
    ++m_attempt;
    m_notifier.reset();
    m_timeout.stop();
    qCWarning(lcStorage).noquote() << "cannot reach PostgreSQL to listen again:" << m_connection.lastErrorMessage()
                                   << "- next try in" << m_delayMs / 1000 << "s";
    m_timer.start(m_delayMs);
    m_delayMs = qMin(m_delayMs * 2, MaxDelayMs);
}

} // namespace herald
