#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace herald {

// What herald-server was asked to do, before any of it is checked against the config.
struct CommandLine
{
    enum class Action { Serve, Help, Version, Subcommand };
    Action action = Action::Serve;
    QString configFile;
    QHash<QString, QString> values; // cliName -> value, for ConfigLoader
    bool foreground = false;
    QStringList subcommand;         // e.g. {"user", "add", "alice"}
    QString helpText;

    // Returns false with a message for the user (exit code 2) on a bad command line.
    bool parse(const QStringList &arguments, QString *error);
};

} // namespace herald
