#pragma once

#include <QStringList>

class QFile;
class QTextStream;

namespace herald {

struct ServerConfig;

// `herald-server user add|passwd|disable|enable|list ...`: manages terminal accounts straight in
// storage, so it works with the server stopped or running (SQLite waits for the writer lock).
class UserCommand
{
public:
    UserCommand(const ServerConfig &config, QTextStream &out, QTextStream &err, QFile &in);
    // args without the leading "user"; returns the process exit code (0 ok, 1 failed, 2 usage).
    int run(const QStringList &args);

    static constexpr int MinPasswordLength = 8;

private:
    bool readPassword(QString *password);

    const ServerConfig &m_config;
    QTextStream &m_out;
    QTextStream &m_err;
    QFile &m_in;
};

} // namespace herald
