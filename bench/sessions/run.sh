#!/usr/bin/env bash
# bench/sessions/run.sh — idle TLS session channels against one herald-server (issue 3).
#
# Holds SESSIONS concurrent WebSocket sessions (hello, one state frame, pings) spread over PROCS
# load-generator processes and loopback source addresses 127.0.0.2.., measures the server's RSS per
# session, event-to-deliver latency (foreground) and state-change-to-push latency (background),
# then a baseline on a fresh server process: the same RSS measurement for bare TCP connections
# that never start TLS. Loopback only, bounded in time, stops everything it started.
# Not a test: never registered with ctest. Results go to bench/README.md ("Sessions").
#
# Knobs (environment): SESSIONS=19000 PROCS=4 RATE=400 (sessions/s cap, all processes together)
# MAX_PENDING=20 (per process: sessions between connect and welcome; the ramp adapts to the server)
# DISPATCHER=unix|glib: Qt event dispatcher of the server (unix = QT_NO_GLIB=1, the default here;
#   glib, Qt's default, collapses with thousands of sockets: see bench/README.md)
# PLATEAU_SECS=20 MAX_RAMP_WAIT=600 PROBES=40 EVENT_RATE=50 EVENT_SECS=20 BASELINE_TCP=6000 PER_ACCOUNT=250
# EVENT_CONNS=4 (keep-alive connections posting events, one request in flight on each)
# BUILD_DIR=<repo>/build-bench KEEP_DATA=1 (keep the temp data dir)
# SERVER_WRAPPER="heaptrack -o /tmp/x" (run the server under a tool; RSS is then the tool's too)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
SESSIONS=${SESSIONS:-19000}
PROCS=${PROCS:-4}
RATE=${RATE:-400}
PLATEAU_SECS=${PLATEAU_SECS:-20}
PROBES=${PROBES:-40}
EVENT_RATE=${EVENT_RATE:-50}
EVENT_SECS=${EVENT_SECS:-20}
EVENT_CONNS=${EVENT_CONNS:-4}
BASELINE_TCP=${BASELINE_TCP:-6000}
PER_ACCOUNT=${PER_ACCOUNT:-250}
MAX_RAMP_WAIT=${MAX_RAMP_WAIT:-600}
MAX_PENDING=${MAX_PENDING:-20}
HEARTBEAT=30
PASSWORD=bench-password-1

if [[ ! -f $BUILD_DIR/build.ninja ]]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD_DIR" --target herald-server session_load >/dev/null
SERVER=$BUILD_DIR/server/herald-server
LOAD=$BUILD_DIR/bench/sessions/session_load
[[ -x $SERVER ]] || SERVER=$(find "$BUILD_DIR" -name herald-server -type f -perm -u+x | head -1)

DATA=$(mktemp -d /tmp/herald-bench-sessions.XXXXXX)
COMMON=(--data-dir "$DATA" --kdf-memory-kib 256 --kdf-iterations 1)
SERVER_PID=""
LOAD_PIDS=()

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }

stop_load() {
    local pid
    for pid in "${LOAD_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${LOAD_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    LOAD_PIDS=()
}
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_WRAPPER_PID" 2>/dev/null || true
    SERVER_PID=""
}
cleanup() {
    stop_load
    stop_server
    if [[ -z ${KEEP_DATA:-} ]]; then rm -rf "$DATA"; else log "data kept in $DATA"; fi
}
trap cleanup EXIT

DISPATCHER=${DISPATCHER:-unix}
SERVER_ENV=()
[[ $DISPATCHER == unix ]] && SERVER_ENV=(QT_NO_GLIB=1)
start_server() { # $1: log file
    # shellcheck disable=SC2086
    env "${SERVER_ENV[@]}" ${SERVER_WRAPPER:-} "$SERVER" "${COMMON[@]}" --foreground --listen 127.0.0.1:0 --heartbeat-secs $HEARTBEAT \
        >"$1" 2>&1 &
    SERVER_WRAPPER_PID=$!
    PORT=""
    for _ in $(seq 600); do
        PORT=$(sed -n 's/.*listening on https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$1" | head -1)
        [[ -n $PORT ]] && break
        sleep 0.1
    done
    [[ -n $PORT ]] || { log "server did not start:"; cat "$1"; exit 1; }
    # The server itself (not a wrapper such as heaptrack): the process whose command line has our data dir.
    SERVER_PID=$SERVER_WRAPPER_PID
    if [[ -n ${SERVER_WRAPPER:-} ]]; then
        SERVER_PID=$(pgrep -n -f -- "herald-server --data-dir $DATA") || { log "cannot find the server pid"; exit 1; }
    fi
}

wait_quiet() { sleep "$1"; }

log "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, open files limit $(ulimit -n) (hard $(ulimit -Hn))"
log "data dir $DATA; server event dispatcher: $DISPATCHER"

# --- accounts, source -------------------------------------------------------------------------
BULK_ACCOUNTS=$(((SESSIONS + PER_ACCOUNT - 1) / PER_ACCOUNT))
for ((a = 0; a < BULK_ACCOUNTS; a++)); do
    printf '%s\n' "$PASSWORD" | "$SERVER" user add "bulk$a" "${COMMON[@]}" >/dev/null
done
for ((a = 0; a < PROBES; a++)); do
    printf '%s\n' "$PASSWORD" | "$SERVER" user add "probe$a" "${COMMON[@]}" >/dev/null
done
SOURCE_TOKEN=$("$SERVER" source add bench "${COMMON[@]}")
log "created $BULK_ACCOUNTS bulk accounts, $PROBES probe accounts, source 'bench'"

# --- run 1: TLS sessions ----------------------------------------------------------------------
start_server "$DATA/server-1.log"
CA=$DATA/tls/herald-cert.pem
log "server pid $SERVER_PID on 127.0.0.1:$PORT"

"$LOAD" register --port "$PORT" --ca "$CA" --out "$DATA/bulk.tokens" --prefix bulk \
    --accounts "$BULK_ACCOUNTS" --per-account "$PER_ACCOUNT" --password "$PASSWORD" --parallel 8 |
    sed 's/^/  bulk: /'
"$LOAD" register --port "$PORT" --ca "$CA" --out "$DATA/probe.tokens" --prefix probe \
    --accounts "$PROBES" --per-account 1 --password "$PASSWORD" --parallel 4 --login mail |
    sed 's/^/  probe: /'

wait_quiet 3
RSS0=$(rss_kb "$SERVER_PID")
FD0=$(fds "$SERVER_PID")
log "server before sessions: VmRSS ${RSS0} kB, ${FD0} fds"

PER_PROC=$(((SESSIONS + PROCS - 1) / PROCS))
PROC_RATE=$(((RATE + PROCS - 1) / PROCS))
RAMP_SECS=$(((PER_PROC + PROC_RATE - 1) / PROC_RATE))
# A safety net only: run.sh stops the generators itself; they give up on their own after this.
HOLD_SECS=$((RAMP_SECS + MAX_RAMP_WAIT + PLATEAU_SECS + 2 * EVENT_SECS + 120))
for ((p = 0; p < PROCS; p++)); do
    from=$((p * PER_PROC))
    count=$((SESSIONS - from < PER_PROC ? SESSIONS - from : PER_PROC))
    "$LOAD" hold --port "$PORT" --ca "$CA" --tokens "$DATA/bulk.tokens" --from "$from" --count "$count" \
        --source-ip "127.0.0.$((p + 2))" --rate "$PROC_RATE" --hold-secs "$HOLD_SECS" --heartbeat $HEARTBEAT \
        --max-pending "$MAX_PENDING" --tag "gen$p" >"$DATA/gen$p.log" 2>&1 &
    LOAD_PIDS+=($!)
done
log "ramping $SESSIONS sessions: $PROCS processes x $PER_PROC at $PROC_RATE/s each (~${RAMP_SECS}s)"

sum_field() { # $1 field name: sum of the last status line of each generator
    local total=0 p v
    for ((p = 0; p < PROCS; p++)); do
        v=$(tail -n 1 "$DATA/gen$p.log" 2>/dev/null | sed -n "s/.* $1=\([0-9]*\).*/\1/p")
        total=$((total + ${v:-0}))
    done
    echo "$total"
}
# Wait until every session is welcomed or failed; give up after MAX_RAMP_WAIT s past the nominal
# ramp, or when nothing moved for 30 s.
deadline=$((SECONDS + RAMP_SECS + MAX_RAMP_WAIT))
last_progress=$SECONDS
last_w=-1
RAMP_START=$SECONDS
while ((SECONDS < deadline && SECONDS - last_progress < 30)); do
    sleep 2
    w=$(sum_field welcomed)
    f=$(sum_field failed)
    ((w != last_w)) && last_progress=$SECONDS
    last_w=$w
    ((SECONDS % 10 < 2)) && log "  welcomed $w failed $f  server VmRSS $(rss_kb "$SERVER_PID") kB, $(fds "$SERVER_PID") fds"
    ((w + f >= SESSIONS)) && break
done
log "ramp took $((SECONDS - RAMP_START))s (nominal ${RAMP_SECS}s)"
WELCOMED=$(sum_field welcomed)
FAILED=$(sum_field failed)
log "plateau: $WELCOMED of $SESSIONS welcomed, $FAILED failed; holding ${PLATEAU_SECS}s"
wait_quiet "$PLATEAU_SECS"
RSS1=$(rss_kb "$SERVER_PID")
FD1=$(fds "$SERVER_PID")
HELD=$(($(sum_field welcomed) - $(sum_field closed)))
log "server at plateau: VmRSS ${RSS1} kB, ${FD1} fds, sessions still open $HELD"
TLS_KB=$(awk -v a="$RSS0" -v b="$RSS1" -v n="$HELD" 'BEGIN { if (n > 0) printf "%.1f", (b - a) / n; else print "n/a" }')
log "RESULT tls_sessions=$HELD rss_before_kB=$RSS0 rss_plateau_kB=$RSS1 per_session_kB=$TLS_KB"

# --- latency probe, with the sessions held -------------------------------------------------------
"$LOAD" probe --port "$PORT" --ca "$CA" --tokens "$DATA/probe.tokens" --source-token "$SOURCE_TOKEN" \
    --pushes "$DATA/pushes.jsonl" --rate "$EVENT_RATE" --secs "$EVENT_SECS" --event-conns "$EVENT_CONNS" --heartbeat $HEARTBEAT \
    --source-ip 127.0.0.$((PROCS + 2)) | sed 's/^/  /'
RSS2=$(rss_kb "$SERVER_PID")
log "server after the probe: VmRSS ${RSS2} kB; sessions still open $(($(sum_field welcomed) - $(sum_field closed)))," \
    "pongs $(sum_field pongs), error frames $(sum_field errors)"
stop_load
for ((p = 0; p < PROCS; p++)); do tail -n 1 "$DATA/gen$p.log" | sed 's/^/  /'; done
stop_server

# --- run 2 (baseline): bare TCP connections on a fresh server process ----------------------------
# The server closes a connection that sends no request within 10 s, so this is measured quickly.
start_server "$DATA/server-2.log"
wait_quiet 3
RSSB0=$(rss_kb "$SERVER_PID")
FDB0=$(fds "$SERVER_PID")
TCP_PER_PROC=$(((BASELINE_TCP + PROCS - 1) / PROCS))
for ((p = 0; p < PROCS; p++)); do
    "$LOAD" hold --mode tcp --port "$PORT" --tokens "$DATA/bulk.tokens" --from 0 --count "$TCP_PER_PROC" \
        --source-ip "127.0.0.$((p + 2))" --rate 1500 --hold-secs 9 --tag "tcp$p" >"$DATA/tcp$p.log" 2>&1 &
    LOAD_PIDS+=($!)
done
sleep 6
RSSB1=$(rss_kb "$SERVER_PID")
FDB1=$(fds "$SERVER_PID")
stop_load
# What the server held at the measurement: its open descriptors beyond those it had before.
TCP_HELD=$((FDB1 - FDB0))
TCP_KB=$(awk -v a="$RSSB0" -v b="$RSSB1" -v n="$TCP_HELD" 'BEGIN { if (n > 0) printf "%.1f", (b - a) / n; else print "n/a" }')
log "RESULT baseline_tcp_connections=$TCP_HELD (server fds $FDB1) rss_before_kB=$RSSB0 rss_after_kB=$RSSB1 per_connection_kB=$TCP_KB"
RATIO=$(awk -v a="$TLS_KB" -v b="$TCP_KB" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }')
log "RESULT ratio tls_session/bare_tcp = $RATIO"
stop_server
log "done"
