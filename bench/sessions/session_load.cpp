// session_load: load generator for bench/sessions (issue 3). Not a test; never run by ctest.
//
//   session_load register --port P --ca CERT --out FILE --prefix NAME --accounts A --per-account D
//                         --password PW [--parallel C] [--login APP]
//       registers A*D devices (device ids NAME-<i>, accounts NAME<a>) over C keep-alive TLS
//       connections and writes "deviceId<TAB>account<TAB>deviceToken" lines to FILE.
//   session_load hold --port P --ca CERT --tokens FILE --from I --count N --source-ip 127.0.0.X
//                     [--rate R] [--hold-secs S] [--heartbeat H] [--mode session|nohello|tcp]
//       opens N sessions (tokens I..I+N-1) from the given source address at R/s and keeps them:
//       session = TLS, GET /v1/session upgrade, hello, wait for welcome, one state frame, then a
//       ping every H s (jittered); nohello = TLS + upgrade only; tcp = a bare TCP connection.
//       Prints a status line each second; exits after S s once everything is started, or on SIGTERM.
//   session_load probe --port P --ca CERT --tokens FILE --source-token T --pushes FILE
//                      [--rate 50] [--secs 20]
//       uses every device in FILE (one device per account, logged in to "mail"):
//       phase fg: state foreground, then events at R/s; latency = event sent -> deliver frame.
//       phase bg: per event, state background immediately followed by the event; the event must
//       not come in-band; latency = state sent -> the push line with its nid in the pushes file.
//   session_load cluster --ports P1,P2,.. --pids PID1,PID2,.. --ca CERT --tokens FILE --source-token T
//                        [--db-pid PID] [--event-conns 32] [--idle-secs 5] [--phases steady:200:20,max:3000:10]
//       bench/cluster: the devices in FILE (one per account, logged in to "mail") hold their
//       sessions spread over the nodes, in the foreground; after an idle window (the nodes' CPU
//       rate without events) each phase posts events at RATE/s for SECS round robin over the nodes
//       (--event-conns keep-alive connections spread over them); latency = event sent -> deliver
//       frame, split by whether the session is on the node the event was posted to; CPU per event
//       of every node (--pids) and of the database's process tree (--db-pid), from /proc.
//
// Raw OpenSSL on non-blocking sockets with epoll, one thread, so 5 000 sessions per process stay
// cheap (SSL_MODE_RELEASE_BUFFERS on the client side).
//
// The commands live in RegisterCommand.cpp, HoldCommand.cpp, ProbeCommand.cpp and ClusterCommand.cpp;
// the session engine they share in SessionEngine.h, the event connections in EventPoster.h.

#include "Commands.h"
#include "LoadCommon.h"

using namespace sessionload;

int main(int argc, char **argv)
{
    if (argc < 2)
        die("usage: session_load register|hold|probe|cluster --key value ...");
    Args a;
    for (int i = 2; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k.rfind("--", 0) != 0)
            die("bad argument " + k);
        a.kv[k.substr(2)] = argv[i + 1];
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, onSignal);
    signal(SIGINT, onSignal);
    const std::string cmd = argv[1];
    if (cmd == "register")
        return cmdRegister(a);
    if (cmd == "hold")
        return cmdHold(a);
    if (cmd == "probe")
        return cmdProbe(a);
    if (cmd == "cluster")
        return cmdCluster(a);
    die("unknown command " + cmd);
}
