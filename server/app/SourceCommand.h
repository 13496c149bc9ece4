#pragma once

#include <QStringList>

class QTextStream;

namespace herald {

struct ServerConfig;

// `herald-server source add NAME`: creates an event source for POST /v1/events and prints its
// bearer token — alone, on standard output, so scripts can capture it. It is shown only once.
class SourceCommand
{
public:
    SourceCommand(const ServerConfig &config, QTextStream &out, QTextStream &err);
    int run(const QStringList &args); // args without the leading "source"

private:
    const ServerConfig &m_config;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace herald
