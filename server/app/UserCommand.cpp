#include "app/UserCommand.h"

#include "app/ServerConfig.h"
#include "app/StorageFactory.h"
#include "registry/PasswordHasher.h"

#include <QFile>
#include <QRegularExpression>
#include <QTextStream>

#ifdef Q_OS_WIN
#include <io.h>
#include <windows.h>
#else
#include <termios.h>
#include <unistd.h>
#endif

namespace herald {

UserCommand::UserCommand(const ServerConfig &config, QTextStream &out, QTextStream &err, QFile &in)
    : m_config(config)
    , m_out(out)
    , m_err(err)
    , m_in(in)
{
}

bool UserCommand::readPassword(QString *password)
{
#ifdef Q_OS_WIN
    const bool tty = ::_isatty(m_in.handle());
    HANDLE console = GetStdHandle(STD_INPUT_HANDLE);
    DWORD saved = 0;
    if (tty) {
        m_err << "Password: " << Qt::flush;
        GetConsoleMode(console, &saved);
        SetConsoleMode(console, saved & ~DWORD(ENABLE_ECHO_INPUT));
    }
#else
    const bool tty = ::isatty(m_in.handle());
    termios saved = {};
    if (tty) {
        m_err << "Password: " << Qt::flush;
        ::tcgetattr(m_in.handle(), &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(m_in.handle(), TCSANOW, &quiet);
    }
#endif
    // One line, bounded: a script piping a huge file must not make us read it all.
    const QByteArray line = m_in.readLine(PasswordHasher::MaxPasswordBytes + 2);
    if (tty) {
#ifdef Q_OS_WIN
        SetConsoleMode(console, saved);
#else
        ::tcsetattr(m_in.handle(), TCSANOW, &saved);
#endif
        m_err << "\n";
    }
    QByteArray raw = line;
    if (raw.endsWith('\n'))
        raw.chop(1);
    if (raw.endsWith('\r'))
        raw.chop(1);
    if (raw.size() > PasswordHasher::MaxPasswordBytes || (line.size() > PasswordHasher::MaxPasswordBytes && !line.endsWith('\n'))) {
        m_err << "error: the password is longer than " << PasswordHasher::MaxPasswordBytes << " bytes\n";
        return false;
    }
    *password = QString::fromUtf8(raw);
    if (password->size() < MinPasswordLength) {
        m_err << "error: the password must have at least " << MinPasswordLength << " characters"
              << (line.isEmpty() ? " (nothing was read from standard input)" : "") << "\n";
        return false;
    }
    return true;
}

int UserCommand::run(const QStringList &args)
{
    static const QRegularExpression nameRe(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}\\z"));
    const QString verb = args.value(0);
    const QStringList needsName{QStringLiteral("add"), QStringLiteral("passwd"), QStringLiteral("disable"),
                                QStringLiteral("enable")};
    if (verb == QLatin1String("list")) {
        if (args.size() != 1) {
            m_err << "usage: herald-server user list\n";
            return 2;
        }
    } else if (needsName.contains(verb)) {
        if (args.size() != 2) {
            m_err << "usage: herald-server user " << verb << " NAME\n";
            return 2;
        }
        if (!nameRe.match(args.at(1)).hasMatch()) {
            m_err << "error: '" << args.at(1).left(64)
                  << "' is not a valid account name (letters, digits, . _ @ + -, at most 128)\n";
            return 2;
        }
    } else {
        m_err << "usage: herald-server user add|passwd|disable|enable NAME, or user list\n";
        return 2;
    }

    QString error;
    auto storage = openStorage(m_config, &error);
    if (!storage) {
        m_err << "error: " << error << "\n";
        return 1;
    }
    const PasswordHasher hasher(m_config.kdfMemoryKib, m_config.kdfIterations);
    if (verb == QLatin1String("list")) {
        const auto accounts = storage->accounts();
        if (!accounts) {
            m_err << "error: " << storage->lastError() << "\n";
            return 1;
        }
        for (const AccountRecord &account : *accounts)
            m_out << account.name << (account.disabled ? "\tdisabled" : "\tactive") << "\t"
                  << account.createdAt.toString(Qt::ISODate) << "\n";
        return 0;
    }

    const QString name = args.at(1);
    const auto existing = storage->accountByName(name);
    if (verb == QLatin1String("add")) {
        if (existing) {
            m_err << "error: account '" << name << "' already exists\n";
            return 1;
        }
        QString password;
        if (!readPassword(&password))
            return 1;
        if (!storage->createAccount(name, hasher.hash(password))) {
            m_err << "error: " << storage->lastError() << "\n";
            return 1;
        }
        m_out << "created account " << name << "\n";
        return 0;
    }
    if (!existing) {
        m_err << "error: no account named '" << name << "'\n";
        return 1;
    }
    bool ok = false;
    if (verb == QLatin1String("passwd")) {
        QString password;
        if (!readPassword(&password))
            return 1;
        ok = storage->setAccountPassword(existing->id, hasher.hash(password));
    } else {
        ok = storage->setAccountDisabled(existing->id, verb == QLatin1String("disable"));
    }
    if (!ok) {
        m_err << "error: " << storage->lastError() << "\n";
        return 1;
    }
    m_out << (verb == QLatin1String("passwd") ? "password changed for " : verb + QStringLiteral("d account "))
          << name << "\n";
    return 0;
}

} // namespace herald
