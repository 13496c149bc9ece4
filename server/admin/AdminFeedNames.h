#pragma once

#include "storage/Records.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace herald {

class Storage;

// A live-feed frame names rows by id while it travels ("deviceRow", "accountRow": small NOTIFYs
// between nodes, no reads where nobody watches). Before it goes to a console the ids become the
// names the console shows (docs/protocol.md, "Live feed"), read on a reading connection.
class AdminFeedNames
{
public:
    explicit AdminFeedNames(const QJsonObject &frame);

    bool needsRead() const { return m_deviceRow > 0 || m_accountRow > 0; }
    // On a reading connection, with the Storage it runs on.
    void read(Storage &storage);
    // The frame as consoles get it, tagged with the node it happened on; nullopt when a device it
    // is about is gone (removed meanwhile: the console learns that from its list).
    std::optional<QJsonObject> present(QJsonObject frame, const QString &node) const;

private:
    qint64 m_deviceRow = 0;
    qint64 m_accountRow = 0;
    bool m_wantsAccount = false; // of the device (presence, token-retired), or of the account row
    std::optional<DeviceRecord> m_device;
    QString m_account;
};

} // namespace herald
