#pragma once

#include "push/Provider.h"

#include <QFile>

namespace herald {

// A provider that delivers nowhere: it appends every push it is asked to send, as one JSON line,
// to a file (mode 0600), after an optional delay. It is what a server without APNs/FCM
// configuration uses — so a newcomer can watch pushes happen — and what tests read to count
// pushes across restarts. It reports every push as delivered.
class RecordingProvider : public Provider
{
    Q_OBJECT
public:
    RecordingProvider(const QString &path, int delayMs, QObject *parent = nullptr);

    bool open(QString *error);
    QString name() const override { return QStringLiteral("recording"); }
    bool canAccept() const override { return true; }
    void send(const PushMessage &message) override;

private:
    void record(const PushMessage &message);

    QFile m_file;
    int m_delayMs;
};

} // namespace herald
