#include "dispatch/UnreadBadgeReader.h"

#include "storage/Storage.h"

#include <QPointer>

#include <optional>
#include <utility>

namespace herald {

UnreadBadgeReader::UnreadBadgeReader(Storage &storage, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
{
}

void UnreadBadgeReader::read(qint64 accountId, std::function<void(int badge)> done)
{
    m_asked[accountId].append(std::move(done));
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    // Queued behind what this pass has posted already: the rest of a burst joins this read.
    QMetaObject::invokeMethod(this, &UnreadBadgeReader::flush, Qt::QueuedConnection);
}

void UnreadBadgeReader::flush()
{
    m_flushQueued = false;
    const auto asked = std::exchange(m_asked, {});
    for (auto it = asked.cbegin(); it != asked.cend(); ++it) {
        auto count = std::make_shared<std::optional<int>>();
        ++m_readsMade;
        m_storage.readInBackground(
            [accountId = it.key(), count](Storage &storage) { *count = storage.unreadNotificationCount(accountId); },
            [waiting = it.value(), count] {
                const int badge = count->value_or(-1);
                for (const auto &done : waiting)
                    done(badge);
            });
    }
}

} // namespace herald
