#pragma once

class QSocketNotifier;

namespace herald {

// Marks a socket notifier's work as one that may wait for a later pass of its thread's event
// loop when that loop runs on EpollEventDispatcher (see EpollEventDispatcher::setDeferrable).
// Elsewhere (Qt's own dispatcher, other systems) it does nothing: the work is served in the
// dispatcher's usual order.
void setNotifierDeferrable(QSocketNotifier &notifier, bool deferrable);
bool isNotifierDeferrable(const QSocketNotifier &notifier);

} // namespace herald
