#pragma once

#include <QProcessEnvironment>
#include <QString>

namespace herald::test {

// Where CTest told us the freshly built binaries and the source tree are.
inline QString envPath(const char *name)
{
    return QProcessEnvironment::systemEnvironment().value(QString::fromLatin1(name));
}
inline QString serverBinary() { return envPath("HERALD_SERVER_BIN"); }
inline QString termBinary() { return envPath("HERALD_TERM_BIN"); }
inline QString sourceDir() { return envPath("HERALD_SOURCE_DIR"); }

} // namespace herald::test
