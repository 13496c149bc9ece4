#!/usr/bin/env bash
# bench/cluster/run.sh — 1, 2 and 3 herald-server nodes on one PostgreSQL (issue 19).
#
# For each node count in NODES: starts that many nodes (each its own data dir and port, one
# configuration: [database] backend = postgresql on a private PostgreSQL, one TLS certificate, one
# credential key), waits until every node sees all of them alive, then
#   1. holds SESSIONS idle TLS sessions spread evenly over the nodes (session_load hold) and reads
#      each node's VmRSS before and after: KB per session per node;
#   2. with them held, session_load cluster: PROBES foreground devices with their sessions spread
#      over the nodes; an idle window (the nodes' CPU without events), then each phase posts
#      events round robin over the nodes: event -> deliver frame latency, split by whether the
#      session is on the node the event was posted to (same) or on another (cross: the hand-over);
#      events/s taken; CPU per event of each node and of PostgreSQL (/proc/PID/stat);
#   3. stops the nodes (a clean stop) before the next count. The database, its accounts and
#      devices stay from one count to the next.
# Prints a summary with ratios against the 1-node run of the same invocation (NODES must name 1
# for those). Loopback only, bounded in time, stops everything it started.
# Not a test: never registered with ctest. Results go to bench/README.md ("Cluster").
#
# Knobs (environment):
#   NODES="1 2 3"        node counts, in this order (e.g. "3 2 1" to see the order's effect)
#   SESSIONS=3000        idle sessions held in each run, spread evenly over its nodes
#   PROBES=60            foreground probe devices (one account each), spread over the nodes
#   PHASES="steady:200:20,max:3000:10"   NAME:RATE:SECS event phases
#   EVENT_CONNS=32       keep-alive connections posting events, spread over the nodes, one request
#                        in flight on each (the same total for every node count)
#   IDLE_SECS=5          the idle window before the phases
#   RAMP_RATE=400 MAX_PENDING=20 PLATEAU_SECS=10 MAX_RAMP_WAIT=300   the idle sessions' ramp
#   PER_PROC=5000        idle sessions per generator process (each has its own source address)
#   NODE_ARGS=""         more herald-server arguments for every node (e.g. --node-heartbeat-secs 2)
#   PG_OPTIONS=""        postgres options, e.g. "-c shared_buffers=256MB"
#   BUILD_DIR=<repo>/build   KEEP_DATA=1 keeps the work dir
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$here/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
NODES=${NODES:-"1 2 3"}
SESSIONS=${SESSIONS:-3000}
PROBES=${PROBES:-60}
PHASES=${PHASES:-steady:200:20,max:3000:10}
EVENT_CONNS=${EVENT_CONNS:-32}
IDLE_SECS=${IDLE_SECS:-5}
RAMP_RATE=${RAMP_RATE:-400}
MAX_PENDING=${MAX_PENDING:-20}
PLATEAU_SECS=${PLATEAU_SECS:-10}
MAX_RAMP_WAIT=${MAX_RAMP_WAIT:-300}
PER_PROC=${PER_PROC:-5000}
PER_ACCOUNT=250
HEARTBEAT=30
PASSWORD=bench-password-1

if [[ ! -f $BUILD_DIR/build.ninja ]]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD_DIR" -j1 --target herald-server session_load >/dev/null
SERVER=$BUILD_DIR/server/herald-server
LOAD=$BUILD_DIR/bench/sessions/session_load

work=$(mktemp -d /tmp/herald-bench-cluster.XXXXXX)
# shellcheck source=../postgres.sh
. "$here/../postgres.sh"
NODE_PIDS=()
LOAD_PIDS=()

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

stop_load() {
    local pid
    for pid in "${LOAD_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${LOAD_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    LOAD_PIDS=()
}
stop_nodes() {
    local pid
    for pid in "${NODE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${NODE_PIDS[@]}"; do
        for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    NODE_PIDS=()
}
cleanup() {
    stop_load
    stop_nodes
    bench_pg_stop
    if [[ -z ${KEEP_DATA:-} ]]; then rm -rf "$work"; else log "work dir kept in $work"; fi
}
trap cleanup EXIT

log "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
    "open files limit $(ulimit -n) (hard $(ulimit -Hn))"
log "work dir $work"

# --- PostgreSQL, one certificate, one configuration ----------------------------------------------
bench_pg_start "${PG_OPTIONS:-}"
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (pid $pg_pid)"
mkdir -p "$work/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" 2>/dev/null
CA=$work/tls/cert.pem
cat >"$work/herald.ini" <<INI
[server]
credential_key_file = $work/credentials.key

[tls]
cert_file = $work/tls/cert.pem
key_file = $work/tls/key.pem

[database]
backend = postgresql
uri = $pg_uri

[limits]
# One source token posts every event; the default (2000/s burst 10000 per node) would turn the
# max phase away.
events_per_source = off
INI
common() { echo --config "$work/herald.ini" --data-dir "$work/node$1" --kdf-memory-kib 256 --kdf-iterations 1; }

# --- accounts, source (once: the database outlives the node runs) --------------------------------
# shellcheck disable=SC2046
{
    BULK_ACCOUNTS=$(((SESSIONS + PER_ACCOUNT - 1) / PER_ACCOUNT))
    for ((a = 0; a < BULK_ACCOUNTS; a++)); do
        printf '%s\n' "$PASSWORD" | "$SERVER" user add "bulk$a" $(common 1) >/dev/null
    done
    for ((a = 0; a < PROBES; a++)); do
        printf '%s\n' "$PASSWORD" | "$SERVER" user add "probe$a" $(common 1) >/dev/null
    done
    SOURCE_TOKEN=$("$SERVER" source add bench $(common 1))
}
log "created $BULK_ACCOUNTS bulk accounts, $PROBES probe accounts, source 'bench'"

PORTS=()
start_nodes() { # $1 count
    local k port pid
    PORTS=()
    for ((k = 1; k <= $1; k++)); do
        : >"$work/run$1-node$k.log" # read below before the node may have opened it
        # shellcheck disable=SC2046,SC2086
        "$SERVER" $(common "$k") --foreground --listen 127.0.0.1:0 --heartbeat-secs $HEARTBEAT ${NODE_ARGS:-} \
            >"$work/run$1-node$k.log" 2>&1 &
        pid=$!
        port=""
        for _ in $(seq 600); do
            port=$(sed -n 's/.*listening on https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/run$1-node$k.log" | head -1 || true)
            [[ -n $port ]] && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        [[ -n $port ]] || { log "node $k did not start:"; cat "$work/run$1-node$k.log"; exit 1; }
        NODE_PIDS+=("$pid")
        PORTS+=("$port")
    done
    # Every node must see all of them alive: an event is handed over only to a node it knows.
    local deadline=$((SECONDS + 90)) seen
    while ((SECONDS < deadline)); do
        seen=0
        for ((k = 1; k <= $1; k++)); do
            names=$(grep -o 'nodes alive: .*' "$work/run$1-node$k.log" | tail -1 | sed 's/nodes alive: //')
            if [[ -n $names ]] && (($(tr ',' '\n' <<<"$names" | wc -l) == $1)); then seen=$((seen + 1)); fi
        done
        ((seen == $1)) && break
        sleep 0.5
    done
    ((seen == $1)) || { log "the nodes did not all see each other"; tail -5 "$work"/run"$1"-node*.log; exit 1; }
    log "$1 node(s) up: pids ${NODE_PIDS[*]}, ports ${PORTS[*]}; each sees $1 alive"
}

sum_field() { # $1 field, $2.. generator logs: sum of each one's last status line
    local f=$1 total=0 v log
    shift
    for log in "$@"; do
        v=$(tail -n 1 "$log" 2>/dev/null | sed -n "s/.* $f=\([0-9]*\).*/\1/p")
        total=$((total + ${v:-0}))
    done
    echo "$total"
}

declare -A R # results: R[key,nodes]
for N in $NODES; do
    log "=== $N node(s) ==="
    start_nodes "$N"
    if [[ ! -f $work/bulk.tokens ]]; then
        "$LOAD" register --port "${PORTS[0]}" --ca "$CA" --out "$work/bulk.tokens" --prefix bulk \
            --accounts "$BULK_ACCOUNTS" --per-account "$PER_ACCOUNT" --password "$PASSWORD" --parallel 8 |
            sed 's/^/  bulk: /'
        "$LOAD" register --port "${PORTS[0]}" --ca "$CA" --out "$work/probe.tokens" --prefix probe \
            --accounts "$PROBES" --per-account 1 --password "$PASSWORD" --parallel 4 --login mail |
            sed 's/^/  probe: /'
    fi
    sleep 3
    RSS0=()
    for ((k = 0; k < N; k++)); do RSS0+=("$(rss_kb "${NODE_PIDS[k]}")"); done

    # --- idle sessions, spread evenly over the nodes ------------------------------------------
    proc=0
    from=0
    GENLOGS=()
    declare -A NODE_LOGS=()
    for ((k = 0; k < N; k++)); do
        count=$(((SESSIONS + k) / N)) # N shares that add up to SESSIONS
        procs=$(((count + PER_PROC - 1) / PER_PROC))
        for ((p = 0; p < procs; p++)); do
            c=$(((count + p) / procs))
            rate=$(((RAMP_RATE + N * procs - 1) / (N * procs)))
            hold_secs=$((c / rate + MAX_RAMP_WAIT + PLATEAU_SECS + 300))
            glog=$work/run$N-gen$proc.log
            "$LOAD" hold --port "${PORTS[k]}" --ca "$CA" --tokens "$work/bulk.tokens" --from "$from" --count "$c" \
                --source-ip "127.0.0.$((proc + 10))" --rate "$rate" --hold-secs "$hold_secs" --heartbeat $HEARTBEAT \
                --max-pending "$MAX_PENDING" --tag "node$((k + 1))-gen$p" >"$glog" 2>&1 &
            LOAD_PIDS+=($!)
            GENLOGS+=("$glog")
            NODE_LOGS[$k]="${NODE_LOGS[$k]:-} $glog"
            from=$((from + c))
            proc=$((proc + 1))
        done
    done
    RAMP_START=$SECONDS
    last_w=-1
    last_progress=$SECONDS
    while ((SECONDS - RAMP_START < MAX_RAMP_WAIT && SECONDS - last_progress < 30)); do
        sleep 2
        w=$(sum_field welcomed "${GENLOGS[@]}")
        f=$(sum_field failed "${GENLOGS[@]}")
        ((w != last_w)) && last_progress=$SECONDS
        last_w=$w
        ((w + f >= SESSIONS)) && break
    done
    RAMP=$((SECONDS - RAMP_START))
    log "ramp: $(sum_field welcomed "${GENLOGS[@]}") of $SESSIONS welcomed, $(sum_field failed "${GENLOGS[@]}") failed" \
        "in ${RAMP}s; holding ${PLATEAU_SECS}s"
    sleep "$PLATEAU_SECS"
    total_held=0
    for ((k = 0; k < N; k++)); do
        # shellcheck disable=SC2086
        held=$(($(sum_field welcomed ${NODE_LOGS[$k]}) - $(sum_field closed ${NODE_LOGS[$k]})))
        rss1=$(rss_kb "${NODE_PIDS[k]}")
        per=$(awk -v a="${RSS0[k]}" -v b="$rss1" -v n="$held" 'BEGIN { if (n > 0) printf "%.1f", (b - a) / n; else print "n/a" }')
        log "RESULT nodes=$N node$((k + 1)) sessions=$held rss_before_kB=${RSS0[k]} rss_plateau_kB=$rss1 per_session_kB=$per" \
            "fds=$(ls "/proc/${NODE_PIDS[k]}/fd" | wc -l)"
        R[kb$((k + 1)),$N]=$per
        R[held$((k + 1)),$N]=$held
        total_held=$((total_held + held))
    done
    R[held,$N]=$total_held
    R[ramp,$N]=$RAMP

    # --- events, with the sessions held -------------------------------------------------------
    "$LOAD" cluster --ports "$(IFS=,; echo "${PORTS[*]}")" --pids "$(IFS=,; echo "${NODE_PIDS[*]}")" \
        --db-pid "$pg_pid" --ca "$CA" --tokens "$work/probe.tokens" --source-token "$SOURCE_TOKEN" \
        --event-conns "$EVENT_CONNS" --idle-secs "$IDLE_SECS" --phases "$PHASES" --heartbeat $HEARTBEAT \
        --source-ip 127.0.0.100 | tee "$work/run$N-cluster.out" | sed 's/^/  /'
    # Every probe device is in the foreground: a push means an event missed its session.
    pushes=$(cat "$work"/node*/pushes.jsonl 2>/dev/null | wc -l)
    log "after the events: $(sum_field welcomed "${GENLOGS[@]}") idle sessions welcomed," \
        "$(sum_field closed "${GENLOGS[@]}") closed, $(sum_field errors "${GENLOGS[@]}") error frames;" \
        "pushes recorded so far $pushes; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    for ((k = 1; k <= N; k++)); do
        w=$(grep -cE ' (warning|critical|fatal) ' "$work/run$N-node$k.log" || true)
        if ((w > 0)); then
            log "node $k logged $w warning(s), the first:"
            grep -E ' (warning|critical|fatal) ' "$work/run$N-node$k.log" | head -3
        fi
    done
    stop_load
    stop_nodes
done

# --- summary: ratios against the 1-node run ----------------------------------------------------
val() { # $1 nodes, $2 phase, $3 line selector (e.g. "hop=cross" or "cpu_us_per_event net"), $4 field
    { grep -F "phase=$2 $3" "$work/run$1-cluster.out" 2>/dev/null || true; } | head -1 | sed -n "s/.* $4=\([0-9.]*\).*/\1/p"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b > 0) printf "%.2f", a / b; else print "-" }'; }
log "summary (ratios against the 1-node run of this invocation)"
IFS=, read -ra phase_specs <<<"$PHASES"
for spec in "${phase_specs[@]}"; do
    ph=${spec%%:*}
    printf '  phase %s (%s)\n' "$ph" "$spec"
    printf '  %-6s %9s %6s %8s %6s %8s %8s %6s %15s %15s %15s\n' nodes events/s ratio nodes_us ratio db_us total_us ratio \
        "same p50/p99" "cross p50/p99" missing
    base_rate=$({ grep -F "phase=$ph asked_rate" "$work/run1-cluster.out" 2>/dev/null || true; } | sed -n 's/.* rate=\([0-9.]*\).*/\1/p')
    base_nus=$(val 1 "$ph" "cpu_us_per_event gross" nodes)
    base_tus=$(awk -v a="$base_nus" -v b="$(val 1 "$ph" "cpu_us_per_event gross" db)" \
        'BEGIN { if (a != "") printf "%.0f", a + b }')
    for N in $NODES; do
        rate=$(grep -F "phase=$ph asked_rate" "$work/run$N-cluster.out" | sed -n 's/.* rate=\([0-9.]*\).*/\1/p')
        miss=$(grep -F "phase=$ph asked_rate" "$work/run$N-cluster.out" | sed -n 's/.* missing=\([0-9]*\).*/\1/p')
        nus=$(val "$N" "$ph" "cpu_us_per_event gross" nodes)
        dus=$(val "$N" "$ph" "cpu_us_per_event gross" db)
        tus=$(awk -v a="$nus" -v b="$dus" 'BEGIN { printf "%.0f", a + b }')
        printf '  %-6s %9s %6s %8s %6s %8s %8s %6s %15s %15s %15s\n' "$N" "$rate" "$(ratio "$rate" "${base_rate:-}")" \
            "$nus" "$(ratio "$nus" "${base_nus:-}")" "$dus" "$tus" "$(ratio "$tus" "${base_tus:-}")" \
            "$(val "$N" "$ph" hop=same p50)/$(val "$N" "$ph" hop=same p99)" \
            "$(val "$N" "$ph" hop=cross p50)/$(val "$N" "$ph" hop=cross p99)" "${miss:-}"
    done
done
printf '  idle sessions: %-6s %8s %8s %s\n' nodes held ramp_s "KB/session per node"
for N in $NODES; do
    kbs=""
    for ((k = 1; k <= N; k++)); do kbs+=" ${R[kb$k,$N]:-}(${R[held$k,$N]:-})"; done
    printf '  idle sessions: %-6s %8s %8s %s\n' "$N" "${R[held,$N]}" "${R[ramp,$N]}" "$kbs"
done
log "done"
