#include "storage/postgresql/PgNotificationWatch.h"

#include <QSocketNotifier>

namespace herald {

PgNotificationWatch::PgNotificationWatch(std::function<void()> readable, QObject *parent)
    : QObject(parent), m_readable(std::move(readable))
{
}

PgNotificationWatch::~PgNotificationWatch() = default;

void PgNotificationWatch::follow(int socket, int generation)
{
    if (socket == m_socket && generation == m_generation)
        return;
    m_notifier.reset();
    m_socket = socket;
    m_generation = generation;
    if (socket < 0)
        return;
    m_notifier = std::make_unique<QSocketNotifier>(socket, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, [this] { m_readable(); });
}

} // namespace herald
