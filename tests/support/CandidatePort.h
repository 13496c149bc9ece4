#pragma once

#include <QtGlobal>

namespace herald::test {

// A loopback port that was free a moment ago, for peers that must be told a port and cannot bind
// port 0 and report theirs, nor take a bound socket from us (Dovecot, PostgreSQL). Nothing holds
// it: another process may take it first, so their start() notices "Address already in use" and
// tries again with a fresh one. 0 when no port could be had.
quint16 candidatePort();

} // namespace herald::test
