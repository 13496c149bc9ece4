#pragma once

#include <QString>
#include <QStringList>

#include <functional>

namespace herald {

struct ServerConfig;

// One setting that can come from the INI file ([section] key), the environment (HERALD_<NAME>)
// or the command line (--name). The table of them lives in ConfigLoader.cpp.
struct ConfigOption
{
    QString section;
    QString key;
    QString cliName;    // "data-dir"
    QString valueName;  // shown in --help
    QString description;
    // Parses and stores the value; returns an error text (without the option's name) or empty.
    std::function<QString(const QString &value, ServerConfig &config)> apply;

    QString envName() const;       // "HERALD_DATA_DIR"
    QString qualifiedKey() const;  // "[server] data_dir"
};

} // namespace herald
