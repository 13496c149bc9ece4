#include "storage/WriteBatch.h"

#include "storage/StorageLog.h"

namespace herald {

WriteBatch::WriteBatch(Statements statements, QObject *parent)
    : QObject(parent)
    , m_statements(std::move(statements))
{
}

WriteBatch::~WriteBatch()
{
    commitNow();
}

bool WriteBatch::join()
{
    if (m_open)
        return true;
    if (!m_statements.begin())
        return false;
    m_open = true;
    if (!m_commitQueued) {
        // Posted, not a timer: it runs when the loop next handles posted events, after the socket
        // notifications of this pass, so every request read in the pass shares the commit.
        m_commitQueued = true;
        QMetaObject::invokeMethod(this, [this] {
            m_commitQueued = false;
            commitNow();
        }, Qt::QueuedConnection);
    }
    return true;
}

void WriteBatch::whenDurable(std::function<void(bool ok)> done)
{
    if (!m_open) {
        done(true);
        return;
    }
    m_waiting.append(std::move(done));
}

bool WriteBatch::commitNow()
{
    bool ok = true;
    if (m_open) {
        m_open = false;
        ok = m_statements.commit();
        if (ok) {
            ++m_commits;
        } else {
            qCCritical(lcStorage) << "group commit failed; the writes of this batch are lost";
            m_statements.rollback();
        }
    }
    // Callbacks may write again and open the next batch; they wait for that one, not this one.
    const QList<std::function<void(bool)>> waiting = std::exchange(m_waiting, {});
    for (const auto &done : waiting)
        done(ok);
    return ok;
}

} // namespace herald
