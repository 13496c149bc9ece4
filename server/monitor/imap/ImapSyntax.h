#pragma once

#include <QByteArray>
#include <QString>

namespace herald {

// Building command arguments the server will read exactly as we meant them.
namespace ImapSyntax {

// A quoted string, or an empty result when the bytes cannot be quoted (CR, LF, NUL, or 8-bit:
// those need a literal).
QByteArray quoted(const QByteArray &bytes);
bool needsLiteral(const QByteArray &bytes);
// RFC 3501 5.1.3 modified UTF-7 mailbox name ("Entwürfe" -> "Entw&APw-rfe").
QByteArray encodeMailboxName(const QString &name);
// A mailbox name ready to put in a command: INBOX as is, everything else quoted.
QByteArray mailboxArgument(const QString &name);

} // namespace ImapSyntax

} // namespace herald
