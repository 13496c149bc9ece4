#!/usr/bin/env bash
# bench/logins/run.sh — a Monday-morning login storm against one herald-server (issue 16).
#
# Baseline: RECEIVERS devices hold foreground sessions and EVENT_RATE events/s flow to them for
# BASELINE_SECS; event -> deliver latency is measured. Storm: the same event flow while
# ACCOUNTS x PER_ACCOUNT registrations (each followed by a login) arrive spread over STORM_SECS
# from ADDRESSES loopback source addresses, with the default Argon2id cost. Every registration
# must end in 201, or in 429/503 with Retry-After (the client then waits and retries, at most 5
# attempts). Loopback only, bounded in time, stops everything it started.
# Not a test: never registered with ctest. Results go to bench/README.md ("Login storm").
#
# Knobs (environment): ACCOUNTS=250 PER_ACCOUNT=20 STORM_SECS=60 EVENT_RATE=500 BASELINE_SECS=30
# RECEIVERS=50 ADDRESSES=50 BUILD_DIR=<repo>/build-bench KEEP_DATA=1 SERVER_ARGS="..." (extra
# server options, e.g. --password-workers 1) ENGINE=sqlite|postgresql (postgresql: a private
# PostgreSQL started and stopped by the script, bench/postgres.sh)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
ACCOUNTS=${ACCOUNTS:-250}
PER_ACCOUNT=${PER_ACCOUNT:-20}
STORM_SECS=${STORM_SECS:-60}
EVENT_RATE=${EVENT_RATE:-500}
BASELINE_SECS=${BASELINE_SECS:-30}
RECEIVERS=${RECEIVERS:-50}
ADDRESSES=${ADDRESSES:-50}
ENGINE=${ENGINE:-sqlite}
PASSWORD=bench-password-1
# shellcheck source=../postgres.sh
. "$ROOT/bench/postgres.sh"

if [[ ! -f $BUILD_DIR/build.ninja ]]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD_DIR" --target herald-server login_storm >/dev/null
SERVER=$BUILD_DIR/server/herald-server
LOAD=$BUILD_DIR/bench/logins/login_storm

DATA=$(mktemp -d /tmp/herald-bench-logins.XXXXXX)
COMMON=(--data-dir "$DATA") # the default Argon2id cost (19 MiB, t=2): what a storm costs for real
work=$DATA # for bench/postgres.sh
SERVER_PID=""
LOAD_PIDS=()

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
cleanup() {
    local pid
    for pid in "${LOAD_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    if [[ -n $SERVER_PID ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    bench_pg_stop
    [[ -n ${KEEP_DATA:-} ]] && log "data kept in $DATA" || rm -rf "$DATA"
}
trap cleanup EXIT

case $ENGINE in
sqlite) ;;
postgresql)
    bench_pg_start
    COMMON+=(--database postgresql --database-uri "$pg_uri")
    ;;
*) echo "run.sh: ENGINE is sqlite or postgresql" >&2; exit 1 ;;
esac

log "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), engine $ENGINE"
log "creating $ACCOUNTS storm accounts and $RECEIVERS receiver accounts (default Argon2id cost)"
for ((a = 0; a < ACCOUNTS; a++)); do
    printf '%s\n' "$PASSWORD" | "$SERVER" user add "storm$a" "${COMMON[@]}" >/dev/null
done
for ((a = 0; a < RECEIVERS; a++)); do
    printf '%s\n' "$PASSWORD" | "$SERVER" user add "recv$a" "${COMMON[@]}" >/dev/null
done
SOURCE_TOKEN=$("$SERVER" source add bench "${COMMON[@]}")

# Loopback is exempt from per-address limits by default (a local reverse proxy); not here, where
# 127.0.0.x play the clients.
"$SERVER" "${COMMON[@]}" --foreground --listen 127.0.0.1:0 --metrics true --limit-exempt-addresses none \
    ${SERVER_ARGS:-} >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 200); do
    PORT=$(sed -n 's/.*listening on https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$DATA/server.log" | head -1)
    [[ -n $PORT ]] && break
    sleep 0.1
done
[[ -n $PORT ]] || { log "server did not start:"; cat "$DATA/server.log"; exit 1; }
CA=$DATA/tls/herald-cert.pem
log "server pid $SERVER_PID on 127.0.0.1:$PORT, $(grep -c ^processor /proc/cpuinfo) cores"

"$LOAD" receivers --port "$PORT" --ca "$CA" --prefix recv --count "$RECEIVERS" --password "$PASSWORD" \
    --out "$DATA/receivers.tokens"
log "registered $RECEIVERS receiver devices"

log "baseline: $EVENT_RATE events/s for $BASELINE_SECS s, no storm"
"$LOAD" events --port "$PORT" --ca "$CA" --tokens "$DATA/receivers.tokens" --source-token "$SOURCE_TOKEN" \
    --rate "$EVENT_RATE" --secs "$BASELINE_SECS" --label baseline

log "storm: $((ACCOUNTS * PER_ACCOUNT)) registrations + logins over $STORM_SECS s from $ADDRESSES addresses, events at $EVENT_RATE/s"
"$LOAD" events --port "$PORT" --ca "$CA" --tokens "$DATA/receivers.tokens" --source-token "$SOURCE_TOKEN" \
    --rate "$EVENT_RATE" --secs "$STORM_SECS" --label storm &
LOAD_PIDS+=($!)
STORM_STATUS=0
"$LOAD" storm --port "$PORT" --ca "$CA" --prefix storm --accounts "$ACCOUNTS" --per-account "$PER_ACCOUNT" \
    --password "$PASSWORD" --secs "$STORM_SECS" --from 127.0.0.10 --addresses "$ADDRESSES" || STORM_STATUS=$?
EVENTS_STATUS=0
wait "${LOAD_PIDS[0]}" || EVENTS_STATUS=$?
LOAD_PIDS=()

curl -s --cacert "$CA" "https://127.0.0.1:$PORT/metrics" |
    grep -E '^herald_(http_rejected_total|password_jobs_refused_total)' | grep -v ' 0$' | sed 's/^/  metrics: /' || true
log "done (storm exit $STORM_STATUS, events exit $EVENTS_STATUS)"
exit $((STORM_STATUS | EVENTS_STATUS))
