#include "timing/DeferrableNotifier.h"

#include <QAbstractEventDispatcher>
#include <QSocketNotifier>

#ifdef Q_OS_LINUX
#include "timing/EpollEventDispatcher.h"
#endif

namespace herald {

#ifdef Q_OS_LINUX
namespace {

EpollEventDispatcher *epollDispatcherOf(const QSocketNotifier &notifier)
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance(notifier.thread()));
}

} // namespace

void setNotifierDeferrable(QSocketNotifier &notifier, bool deferrable)
{
    if (EpollEventDispatcher *dispatcher = epollDispatcherOf(notifier))
        dispatcher->setDeferrable(&notifier, deferrable);
}

bool isNotifierDeferrable(const QSocketNotifier &notifier)
{
    const EpollEventDispatcher *dispatcher = epollDispatcherOf(notifier);
    return dispatcher && dispatcher->isDeferrable(&notifier);
}
#else
void setNotifierDeferrable(QSocketNotifier &, bool) {}
bool isNotifierDeferrable(const QSocketNotifier &) { return false; }
#endif

} // namespace herald
