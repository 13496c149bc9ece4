#pragma once

#include "config/ConfigSection.h"

#include <QMap>

#include <QHash>
#include <QObject>

namespace herald {

class Provider;

// Which provider pushes to which platform, built from the [push.*] sections. With none
// configured, a RecordingProvider writing <data-dir>/pushes.jsonl serves ios and android.
class ProviderRegistry : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    bool load(const QMap<QString, ConfigSection> &sections, const QString &dataDir, QString *error);
    Provider *providerFor(const QString &platform) const { return m_byPlatform.value(platform); }
    QList<Provider *> providers() const;
    QStringList platformsOf(const Provider *provider) const; // sorted
    // For tests and embedding: route a platform to a provider this registry then owns.
    void add(const QStringList &platforms, Provider *provider);

private:
    QHash<QString, Provider *> m_byPlatform;
};

} // namespace herald
