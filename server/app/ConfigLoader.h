#pragma once

#include "app/ConfigOption.h"
#include "app/ServerConfig.h"

#include <QHash>
#include <QList>
#include <QProcessEnvironment>

namespace herald {

// Merges defaults < INI file < HERALD_* environment < command line into a ServerConfig, and
// rejects unknown sections, unknown keys and bad values with the place they came from.
class ConfigLoader
{
public:
    static const QList<ConfigOption> &options();
    static QString defaultDataDir();
    // Sections whose keys are not ours to check; they are passed on to their owners.
    static bool isPassThroughSection(const QString &section);

    // configFile: from --config (empty: HERALD_CONFIG, else none).
    // cliValues: cliName -> value as given on the command line.
    bool load(const QString &configFile, const QHash<QString, QString> &cliValues,
              const QProcessEnvironment &env, ServerConfig *out);
    QString errorString() const { return m_error; }

private:
    bool fail(const QString &error);
    QString m_error;
};

} // namespace herald
