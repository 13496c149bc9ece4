#include "CandidatePort.h"

#include <QTcpServer>

namespace herald::test {

quint16 candidatePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace herald::test
