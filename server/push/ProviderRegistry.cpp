#include "push/ProviderRegistry.h"

#include "push/ProviderConfig.h"
#include "push/ProviderFactory.h"
#include "push/RecordingProvider.h"

#include <QDir>
#include <QLoggingCategory>
#include <QSet>

Q_LOGGING_CATEGORY(lcPushRegistry, "herald.push", QtInfoMsg)

namespace herald {

QStringList ProviderRegistry::platformsOf(const Provider *provider) const
{
    QStringList platforms;
    for (auto it = m_byPlatform.cbegin(); it != m_byPlatform.cend(); ++it) {
        if (it.value() == provider)
            platforms.append(it.key());
    }
    platforms.sort();
    return platforms;
}

void ProviderRegistry::add(const QStringList &platforms, Provider *provider)
{
    provider->setParent(this);
    for (const QString &platform : platforms)
        m_byPlatform.insert(platform, provider);
}

QList<Provider *> ProviderRegistry::providers() const
{
    const QSet<Provider *> unique(m_byPlatform.cbegin(), m_byPlatform.cend());
    return QList<Provider *>(unique.cbegin(), unique.cend());
}

bool ProviderRegistry::load(const QMap<QString, ConfigSection> &sections, const QString &dataDir, QString *error)
{
    // Without a [push.*] naming them, the recording provider serves phones only: a `web` device's
    // pushes fail ("no push provider for web") until a webpush provider is configured.
    const QStringList known{QStringLiteral("ios"), QStringLiteral("android")};
    const QStringList routable{QStringLiteral("ios"), QStringLiteral("android"), QStringLiteral("web")};
    for (const ConfigSection &section : sections) {
        if (!section.name.startsWith(QLatin1String("push.")))
            continue;
        const QString type = section.values.value(QStringLiteral("type"));
        QStringList platforms = section.values.value(QStringLiteral("platforms")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString &p : platforms) {
            p = p.trimmed();
            if (!routable.contains(p)) {
                *error = section.where(QStringLiteral("platforms")) + QStringLiteral(": '%1' is not ios, android or web").arg(p.left(32));
                return false;
            }
        }
        if (type == QLatin1String("recording")) {
            for (const QString &key : section.values.keys()) {
                if (!QStringList{QStringLiteral("type"), QStringLiteral("platforms"), QStringLiteral("file"),
                                 QStringLiteral("delay_ms")}.contains(key)) {
                    *error = section.where(key) + QStringLiteral(": unknown setting");
                    return false;
                }
            }
            bool ok = true;
            const QString delayText = section.values.value(QStringLiteral("delay_ms"), QStringLiteral("0"));
            const int delay = delayText.toInt(&ok);
            if (!ok || delay < 0 || delay > 600000) {
                *error = section.where(QStringLiteral("delay_ms")) + QStringLiteral(": expected 0 to 600000");
                return false;
            }
            const QString file = section.values.value(QStringLiteral("file"),
                                                      QDir(dataDir).filePath(QStringLiteral("pushes.jsonl")));
            auto *provider = new RecordingProvider(file, delay, this);
            if (!provider->open(error))
                return false;
            add(platforms.isEmpty() ? known : platforms, provider);
            continue;
        }
        if (type == QLatin1String("apns") || type == QLatin1String("fcm") || type == QLatin1String("webpush")) {
            // The push engineer's parser checks the rest (key files included) and names the problem.
            QHash<QString, QString> values = section.values;
            values.remove(QStringLiteral("platforms"));
            const std::optional<ProviderSettings> settings =
                ProviderConfig::parse(section.name, values, section.fileName, error);
            if (!settings)
                return false;
            std::unique_ptr<Provider> provider = ProviderFactory::create(*settings);
            const QStringList defaults{type == QLatin1String("apns")  ? QStringLiteral("ios")
                                       : type == QLatin1String("fcm") ? QStringLiteral("android")
                                                                      : QStringLiteral("web")};
            add(platforms.isEmpty() ? defaults : platforms, provider.release());
            continue;
        }
        *error = section.where(QStringLiteral("type")) + QStringLiteral(": unknown provider type '%1' (known: recording, apns, fcm, webpush)").arg(type.left(32));
        return false;
    }
    if (m_byPlatform.isEmpty()) {
        const QString file = QDir(dataDir).filePath(QStringLiteral("pushes.jsonl"));
        auto *provider = new RecordingProvider(file, 0, this);
        if (!provider->open(error))
            return false;
        add(known, provider);
        qCWarning(lcPushRegistry).noquote() << "no push provider configured; pushes are recorded in" << file;
    }
    return true;
}

} // namespace herald
