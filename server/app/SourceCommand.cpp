#include "app/SourceCommand.h"

#include "app/ServerConfig.h"
#include "app/StorageFactory.h"
#include "registry/DeviceToken.h"
#include "registry/SourceName.h"
#include "storage/Storage.h"

#include <QTextStream>

namespace herald {

SourceCommand::SourceCommand(const ServerConfig &config, QTextStream &out, QTextStream &err)
    : m_config(config)
    , m_out(out)
    , m_err(err)
{
}

int SourceCommand::usage()
{
    m_err << "usage: herald-server source add NAME [--kind events|presence]\n"
             "       herald-server source list\n"
             "       herald-server source revoke NAME\n";
    return 2;
}

int SourceCommand::run(const QStringList &args)
{
    QStringList rest = args;
    const QString verb = rest.value(0);
    // add's --kind (events, the default, or presence), as "--kind X" or "--kind=X", anywhere after the verb.
    QString kind = QStringLiteral("events");
    if (verb == QLatin1String("add")) {
        for (int i = 1; i < rest.size(); ++i) {
            const QString &arg = rest.at(i);
            if (arg == QLatin1String("--kind") || arg.startsWith(QLatin1String("--kind="))) {
                const bool joined = arg.startsWith(QLatin1String("--kind="));
                if (!joined && i + 1 >= rest.size())
                    return usage();
                kind = joined ? arg.mid(7) : rest.at(i + 1);
                rest.remove(i, joined ? 1 : 2);
                break;
            }
        }
        if (kind != QLatin1String("events") && kind != QLatin1String("presence")) {
            m_err << "error: --kind must be events or presence, not '" << kind.left(32) << "'\n";
            return 2;
        }
    }
    const bool named = verb == QLatin1String("add") || verb == QLatin1String("revoke");
    if (!(named && rest.size() == 2) && !(verb == QLatin1String("list") && rest.size() == 1))
        return usage();
    if (named && !SourceName::isValid(rest.at(1))) {
        m_err << "error: '" << rest.at(1).left(64) << "' is not a valid source name (" << SourceName::Rule << ")\n";
        return 2;
    }
    QString error;
    auto storage = openStorage(m_config, &error);
    if (!storage) {
        m_err << "error: " << error << "\n";
        return 1;
    }
    if (verb == QLatin1String("add"))
        return add(*storage, rest.at(1), kind);
    if (verb == QLatin1String("revoke"))
        return revoke(*storage, rest.at(1));
    return list(*storage);
}

int SourceCommand::add(Storage &storage, const QString &name, const QString &kind)
{
    if (storage.sourceByName(name)) {
        m_err << "error: source '" << name << "' already exists\n";
        return 1;
    }
    const QString token = DeviceToken::generate();
    if (!storage.createSource(name, DeviceToken::hash(token), kind)) {
        m_err << "error: " << storage.lastError() << "\n";
        return 1;
    }
    m_out << token << "\n";
    return 0;
}

int SourceCommand::list(Storage &storage)
{
    const auto sources = storage.sources();
    if (!sources) {
        m_err << "error: " << storage.lastError() << "\n";
        return 1;
    }
    // One source a line, tab-separated for scripts: name, kind, created, revoked (or "-").
    for (const SourceRecord &s : *sources) {
        m_out << s.name << '\t' << s.kind << '\t' << s.createdAt.toUTC().toString(Qt::ISODate) << '\t'
              << (s.revokedAt.isValid() ? s.revokedAt.toUTC().toString(Qt::ISODate) : QStringLiteral("-")) << '\n';
    }
    return 0;
}

int SourceCommand::revoke(Storage &storage, const QString &name)
{
    const auto source = storage.sourceByName(name);
    if (!source) {
        m_err << "error: no source named '" << name << "'\n";
        return 1;
    }
    if (source->revokedAt.isValid()) {
        m_err << "error: source '" << name << "' was already revoked on "
              << source->revokedAt.toUTC().toString(Qt::ISODate) << "\n";
        return 1;
    }
    if (!storage.revokeSource(source->id, QDateTime::currentDateTimeUtc())) {
        m_err << "error: " << storage.lastError() << "\n";
        return 1;
    }
    m_out << "revoked source '" << name << "'\n";
    return 0;
}

} // namespace herald
