#include "app/SourceCommand.h"

#include "app/ServerConfig.h"
#include "app/StorageFactory.h"
#include "registry/DeviceToken.h"

#include <QRegularExpression>
#include <QTextStream>

namespace herald {

SourceCommand::SourceCommand(const ServerConfig &config, QTextStream &out, QTextStream &err)
    : m_config(config)
    , m_out(out)
    , m_err(err)
{
}

int SourceCommand::run(const QStringList &args)
{
    static const QRegularExpression nameRe(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,63}\\z"));
    if (args.size() != 2 || args.at(0) != QLatin1String("add")) {
        m_err << "usage: herald-server source add NAME\n";
        return 2;
    }
    const QString name = args.at(1);
    if (!nameRe.match(name).hasMatch() || name.startsWith(QLatin1String("monitor"))) {
        m_err << "error: '" << name.left(64)
              << "' is not a valid source name (lower-case letters, digits, . _ -; not starting with 'monitor')\n";
        return 2;
    }
    QString error;
    auto storage = openStorage(m_config, &error);
    if (!storage) {
        m_err << "error: " << error << "\n";
        return 1;
    }
    if (storage->sourceByName(name)) {
        m_err << "error: source '" << name << "' already exists\n";
        return 1;
    }
    const QString token = DeviceToken::generate();
    if (!storage->createSource(name, DeviceToken::hash(token))) {
        m_err << "error: " << storage->lastError() << "\n";
        return 1;
    }
    m_out << token << "\n";
    return 0;
}

} // namespace herald
