#pragma once

#include <QList>
#include <QObject>

#include <functional>

namespace herald {

// The group-commit transaction of SqliteStorage. The first write of an event-loop pass opens it
// (BEGIN IMMEDIATE); a queued call commits it once the pass is over, and only then run the
// whenDurable() callbacks — the HTTP answers that promise "stored". Under load one commit then
// carries every request read in that pass instead of each paying for its own locks and WAL frames.
// A crash loses at most the open batch, whose answers were never sent.
class WriteBatch : public QObject
{
    Q_OBJECT
public:
    struct Statements
    {
        std::function<bool()> begin;    // BEGIN IMMEDIATE
        std::function<bool()> commit;   // COMMIT
        std::function<void()> rollback; // ROLLBACK, after a failed commit
    };

    explicit WriteBatch(Statements statements, QObject *parent = nullptr);
    ~WriteBatch() override;

    bool isOpen() const { return m_open; }
    bool join(); // opens the batch if needed; false when BEGIN failed (nothing is open then)
    void whenDurable(std::function<void(bool ok)> done);
    bool commitNow(); // commits (if open) and runs the callbacks waiting for it
    int commits() const { return m_commits; }

private:
    Statements m_statements;
    bool m_open = false;
    bool m_commitQueued = false;
    QList<std::function<void(bool)>> m_waiting;
    int m_commits = 0;
};

} // namespace herald
