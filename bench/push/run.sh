#!/usr/bin/env bash
# Push benchmark (issue 4), all against one apns-standin process with the same payload shape:
#   herald e2e   events POSTed to a herald-server (HTTPS/1.1, unique eventIds) → stored → dispatcher →
#                ApnsProvider → the stand-in's 200, timed per event from the stand-in's --log;
#   herald prov  ApnsProvider alone (herald-push-bench), to see what the server adds;
#   h2load       the HTTP/2 ceiling of the stand-in (Debian nghttp2-client);
#   node-apn     the common Node.js client @parse/node-apn (npm).
#   bench/push/run.sh [BUILD_DIR]
#   env: COUNT (60000) ROUNDS (3) CONNECTIONS (1, HTTP/2 connections for every client) WINDOW (1000,
#        outstanding pushes) ACCOUNTS (200 accounts, one iPhone each) EVENT_CONNECTIONS (8) DEPTH (WINDOW /
#        EVENT_CONNECTIONS, pipelined events per connection) WARMUP (2000 events before the rounds) KEEP=1 keeps the files
#        PERF=FILE records the server with `perf record -g` during the e2e runs (perf report -i FILE)
#        RUNS ("e2e provider h2load node") picks the runs, e.g. RUNS=e2e while tuning the server
#        SERVER_BIN runs another herald-server binary (A/B against a saved copy of a previous build)
#        ENGINE (sqlite) or postgresql: the server's database. postgresql starts a PostgreSQL of its own
#        (initdb/pg_ctl from /usr/lib/postgresql/*/bin, as the postgres user when run as root) on
#        loopback in the work folder, fsync on, and adds its CPU per event (all its processes) to
#        each e2e line as db_cpu_us; PG_OPTIONS adds postgres options, e.g. "-c shared_buffers=1GB"
#        CONSOLE=N keeps N console clients polling the admin API through each e2e round (GET
#        notifications, devices, users and stats, one after another, each client one request at a
#        time): what a help desk with the console open adds; each e2e line gets console_rps
#        CALLGRIND=DIR runs the server under valgrind's callgrind, counting only during the e2e rounds, and
#        prints instructions per event for each server thread: exact where CPU time on a shared machine is
#        not. Use with RUNS=e2e COUNT=10000 DEPTH=16: valgrind makes the server ~50x slower, so this mode
#        also gives it a 120 s request timeout (a new connection's handshake counts against it).
# Prints one line per run and a summary with medians and ratios. Never run by ctest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
COUNT="${COUNT:-60000}"
CONNECTIONS="${CONNECTIONS:-1}"
WINDOW="${WINDOW:-1000}"
ROUNDS="${ROUNDS:-3}"
ACCOUNTS="${ACCOUNTS:-200}"
EVENT_CONNECTIONS="${EVENT_CONNECTIONS:-8}"
# The same window for every client: h2load and node-apn keep WINDOW pushes in flight, the event
# generator WINDOW events (EVENT_CONNECTIONS × DEPTH).
DEPTH="${DEPTH:-$(( WINDOW / EVENT_CONNECTIONS ))}"
WARMUP="${WARMUP:-2000}"
RUNS=" ${RUNS:-e2e provider h2load node} "
want() { [[ "$RUNS" == *" $1 "* ]]; }
PASSWORD=bench-password-1
TOPIC=com.example.herald

cmake --build "$build" --target apns-standin herald-push-bench herald-server herald-event-bench >/dev/null
command -v h2load >/dev/null || { echo "run.sh: h2load missing (apt-get install nghttp2-client)" >&2; exit 1; }
command -v node >/dev/null || { echo "run.sh: node missing" >&2; exit 1; }
if [ ! -d "$here/node/node_modules/@parse/node-apn" ]; then
    (cd "$here/node" && npm install --no-audit --no-fund --silent)
fi
server_bin="${SERVER_BIN:-$build/server/herald-server}"
events_bin="$build/bench/herald-event-bench"

work="$(mktemp -d /tmp/herald-bench-push.XXXXXX)"
standin_pid=""
server_pid=""
ENGINE="${ENGINE:-sqlite}"
# shellcheck source=../postgres.sh
. "$here/../postgres.sh"
cleanup() {
    { [ -n "${console_pids[*]:-}" ] && touch "$work/console.stop"; } || true
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    [ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null || true
    bench_pg_stop
    if [ -n "${KEEP:-}" ]; then echo "files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- the stand-in ------------------------------------------------------------------------------
"$build/tests/standins/apns-standin" --dir "$work/apns" --log "$work/standin.log" >"$work/standin.out" 2>&1 &
standin_pid=$!
for _ in $(seq 100); do [ -s "$work/apns/port" ] && break; sleep 0.1; done
[ -s "$work/apns/port" ] || { echo "run.sh: apns-standin did not start" >&2; cat "$work/standin.out" >&2; exit 1; }
port="$(cat "$work/apns/port")"
read -r team_id key_id <"$work/apns/ids" || true # no trailing newline

# --- the database ------------------------------------------------------------------------------
common=(--data-dir "$work/data" --kdf-memory-kib 256 --kdf-iterations 1)
case "$ENGINE" in
sqlite) ;;
postgresql)
    bench_pg_start "${PG_OPTIONS:-}" || exit 1
    common+=(--database postgresql --database-uri "$pg_uri")
    ;;
*) echo "run.sh: ENGINE is sqlite or postgresql" >&2; exit 1 ;;
esac

# --- herald-server with [push.apns] pointing at it -----------------------------------------------
[ -n "${CALLGRIND:-}" ] && common+=(--request-timeout-secs 120)
cat >"$work/herald.ini" <<INI
[push.apns]
type = apns
host = 127.0.0.1
port = $port
ca_file = $work/apns/ca.pem
team_id = $team_id
key_id = $key_id
key_file = $work/apns/AuthKey.p8
topic = $TOPIC
connections = $CONNECTIONS
max_outstanding = $WINDOW

[limits]
# One source token sends every event here; the default (2000/s burst 10000) would turn most away.
events_per_source = off
INI
for ((a = 0; a < ACCOUNTS; a++)); do
    printf '%s\n' "$PASSWORD" | "$server_bin" user add "push$a" "${common[@]}" >/dev/null
done
source_token="$("$server_bin" source add bench "${common[@]}")"
server_cmd=("$server_bin")
if [ -n "${CALLGRIND:-}" ]; then
    command -v callgrind_control >/dev/null || { echo "run.sh: CALLGRIND needs valgrind (apt-get install valgrind)" >&2; exit 1; }
    mkdir -p "$CALLGRIND"
    rm -f "$CALLGRIND"/callgrind.out*
    server_cmd=(valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes --dump-instr=no
                --callgrind-out-file="$CALLGRIND/callgrind.out" "$server_bin")
fi
"${server_cmd[@]}" --config "$work/herald.ini" "${common[@]}" --foreground --listen 127.0.0.1:0 >"$work/server.log" 2>&1 &
server_pid=$!
herald_port=""
for _ in $(seq 300); do
    herald_port="$(sed -n 's/.*listening on https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log" | head -1)"
    [ -n "$herald_port" ] && break
    sleep 0.1
done
[ -n "$herald_port" ] || { echo "run.sh: herald-server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
ev=(--port "$herald_port" --ca "$work/data/tls/herald-cert.pem" --prefix push --accounts "$ACCOUNTS"
    --connections "$EVENT_CONNECTIONS" --depth "$DEPTH")
"$events_bin" register "${ev[@]}" --password "$PASSWORD" --topic "$TOPIC"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# PostgreSQL's CPU: the postmaster and every process it started (backends, WAL writer, …), as long
# as they live; a backend's time is counted while it runs, so read it before the server disconnects.
db_ticks() {
    [ -n "$pg_pid" ] || { echo 0; return; }
    local total=0 pid
    for pid in "$pg_pid" $(pgrep -P "$pg_pid"); do
        total=$(( total + $(cpu_ticks "$pid" 2>/dev/null || echo 0) ))
    done
    echo "$total"
}
e2e() { # $1 run id, $2 count; appends the server's, the stand-in's and the database's CPU per event (µs)
    local s0 a0 d0 line
    s0="$(cpu_ticks "$server_pid")"; a0="$(cpu_ticks "$standin_pid")"; d0="$(db_ticks)"
    line="$("$events_bin" events "${ev[@]}" --source-token "$source_token" --run-id "$1" --count "$2" \
        --standin-log "$work/standin.log" 2>"$work/e2e-$1.err" | tail -1)"
    awk -v l="$line" -v s="$(( $(cpu_ticks "$server_pid") - s0 ))" -v a="$(( $(cpu_ticks "$standin_pid") - a0 ))" \
        -v d="$(( $(db_ticks) - d0 ))" -v db="$ENGINE" -v n="$2" -v hz="$(getconf CLK_TCK)" \
        'BEGIN {printf "%s server_cpu_us=%.0f standin_cpu_us=%.0f", l, 1e6 * s / hz / n, 1e6 * a / hz / n;
                if (db == "postgresql") printf " db_cpu_us=%.0f", 1e6 * d / hz / n; printf "\n"}'
}
# --- console clients (CONSOLE=N) ------------------------------------------------------------------
console_pids=()
if [ "${CONSOLE:-0}" -gt 0 ]; then
    command -v curl >/dev/null || { echo "run.sh: CONSOLE needs curl" >&2; exit 1; }
    admin_password="$(cat "$work/data/initial-admin-password")"
    admin_token="$(curl -sS --cacert "$work/data/tls/herald-cert.pem" -H 'Content-Type: application/json' \
        -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" \
        "https://127.0.0.1:$herald_port/admin/v1/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
    [ -n "$admin_token" ] || { echo "run.sh: the console login failed" >&2; exit 1; }
fi
console_start() { # N loops of curl, each counting its answered requests in $work/console.<i>
    local i
    console_pids=()
    rm -f "$work/console.stop"
    for ((i = 0; i < ${CONSOLE:-0}; i++)); do
        : >"$work/console.$i"
        (
            urls=()
            for path in "notifications?limit=100" "devices?limit=100" "users" "stats"; do
                urls+=("https://127.0.0.1:$herald_port/admin/v1/$path")
            done
            while [ -d "$work" ] && [ ! -e "$work/console.stop" ]; do
                for url in "${urls[@]}"; do
                    curl -sS -o /dev/null --cacert "$work/data/tls/herald-cert.pem" \
                        -H "Authorization: Bearer $admin_token" "$url" && echo >>"$work/console.$i"
                done
            done
        ) &
        console_pids+=($!)
    done
    console_t0="$(date +%s.%N)"
}
console_stop() { # prints console_rps=... (empty without CONSOLE)
    [ "${CONSOLE:-0}" -gt 0 ] || return 0
    local pid n=0 i
    touch "$work/console.stop" # each client ends after its request under way: none is cut off
    for pid in "${console_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    for ((i = 0; i < CONSOLE; i++)); do n=$(( n + $(wc -l <"$work/console.$i") )); done
    awk -v n="$n" -v t0="$console_t0" -v t1="$(date +%s.%N)" 'BEGIN {printf " console_rps=%.1f", n / (t1 - t0)}'
}

# The first pushes open the APNs connection with its one-stream start; rounds measure a warm server.
echo "warm-up: $(e2e warmup "$WARMUP")"

token="$(printf 'a%.0s' $(seq 64))"
cat >"$work/payload.json" <<'JSON'
{"aps":{"alert":{"title":"Alice","body":"New mail: quarterly report"},"sound":"default","mutable-content":1},"nid":"n1","uri":"herald://open/n1"}
JSON

rate() { sed -n 's/.* rate=\([0-9]*\).*/\1/p'; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
e2e_rates=(); e2e_p50=(); e2e_p99=(); e2e_cpu=(); e2e_db=(); prov_rates=(); h2load_rates=(); node_rates=()
for round in $(seq "$ROUNDS"); do
    if want e2e; then
    perf_pid=""
    if [ -n "${PERF:-}" ]; then
        perf record -q ${PERF_ARGS:--g} -p "$server_pid" -o "$PERF.$round" >/dev/null 2>&1 &
        perf_pid=$!
        sleep 0.5
    fi
    [ -n "${CALLGRIND:-}" ] && callgrind_control -i on "$server_pid" >/dev/null
    console_start
    line="$(e2e "round$round" "$COUNT")"
    line="$line$(console_stop)"
    [ -n "${CALLGRIND:-}" ] && callgrind_control -i off "$server_pid" >/dev/null
    if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
    counted=$(( ${counted:-0} + $(echo "$line" | field accepted) ))
    echo "round $round: $line"
    e2e_rates+=("$(echo "$line" | rate)"); e2e_p50+=("$(echo "$line" | field p50_ms)"); e2e_p99+=("$(echo "$line" | field p99_ms)")
    e2e_cpu+=("$(echo "$line" | field server_cpu_us)"); e2e_db+=("$(echo "$line" | field db_cpu_us)")
    fi

    if want provider; then
    line="$("$build/bench/herald-push-bench" --dir "$work/apns" --count "$COUNT" --connections "$CONNECTIONS" --window "$WINDOW" 2>/dev/null | tail -1)"
    echo "round $round: provider-only $line"
    prov_rates+=("$(echo "$line" | rate)")
    fi

    if want h2load; then
    # h2load needs a valid provider token: apns-standin wrote one (token.jwt) signed with its .p8.
    out="$(h2load -n "$COUNT" -c "$CONNECTIONS" -m "$WINDOW" \
        -H "authorization: bearer $(cat "$work/apns/token.jwt")" -H "apns-topic: $TOPIC" \
        -H 'apns-push-type: alert' -d "$work/payload.json" "https://127.0.0.1:$port/3/device/$token" 2>&1)"
    ok="$(echo "$out" | sed -n 's/^status codes: \([0-9]*\) 2xx.*/\1/p')"
    # "finished in 1.51s," or "finished in 380.12ms,"
    secs="$(echo "$out" | awk '/^finished in/ { v = $3; sub(/,$/, "", v); if (v ~ /ms$/) { sub(/ms$/, "", v); v /= 1000 } else sub(/s$/, "", v); print v }')"
    r="$(awk -v n="${ok:-0}" -v s="${secs:-0}" 'BEGIN {printf "%d", (s > 0 ? n / s : 0)}')"
    echo "round $round: h2load 2xx=$ok seconds=$secs rate=$r"
    h2load_rates+=("$r")
    fi

    if want node; then
    line="$(cd "$here/node" && NODE_EXTRA_CA_CERTS="$work/apns/ca.pem" node bench.js "$work/apns" "$COUNT" "$CONNECTIONS" "$WINDOW" 2>/dev/null | tail -1 || true)"
    echo "round $round: $line"
    node_rates+=("$(echo "$line" | rate)")
    fi
done

e="$(printf '%s\n' "${e2e_rates[@]}" | median)"
p="$(printf '%s\n' "${prov_rates[@]}" | median)"
c="$(printf '%s\n' "${h2load_rates[@]}" | median)"
n="$(printf '%s\n' "${node_rates[@]}" | median)"
echo
echo "median over $ROUNDS rounds ($ENGINE), $COUNT pushes, $CONNECTIONS HTTP/2 connection(s), window $WINDOW:"
echo "  herald end to end   $e /s  (event → APNs stand-in p50 $(printf '%s\n' "${e2e_p50[@]}" | median) ms, p99 $(printf '%s\n' "${e2e_p99[@]}" | median) ms)"
if want e2e; then
    cpu="server $(printf '%s\n' "${e2e_cpu[@]}" | median) µs"
    [ "$ENGINE" = postgresql ] && cpu="$cpu + PostgreSQL $(printf '%s\n' "${e2e_db[@]}" | median) µs"
    echo "  herald e2e on $ENGINE: CPU per event $cpu"
fi
echo "  herald provider     $p /s"
echo "  h2load              $c /s"
echo "  node-apn            $n /s"
# Per-round ratios too: on a shared machine the runs of one round see the same background load.
ratios_h2=(); ratios_node=()
for i in "${!e2e_rates[@]}"; do
    ratios_h2+=("$(awk -v h="${e2e_rates[$i]:-0}" -v c="${h2load_rates[$i]:-0}" 'BEGIN {printf "%.0f", (c > 0 ? 100 * h / c : 0)}')")
    ratios_node+=("$(awk -v h="${e2e_rates[$i]:-0}" -v n="${node_rates[$i]:-0}" 'BEGIN {printf "%.2f", (n > 0 ? h / n : 0)}')")
done
echo "  per-round e2e/h2load %: ${ratios_h2[*]} (median $(printf '%s\n' "${ratios_h2[@]}" | median))"
echo "  per-round e2e/node-apn: ${ratios_node[*]} (median $(printf '%s\n' "${ratios_node[@]}" | median))"
awk -v h="$e" -v c="$c" -v n="$n" 'BEGIN {
    printf "  herald e2e / node-apn = %.2fx (target >= 2x)\n", (n > 0 ? h / n : 0);
    printf "  herald e2e / h2load   = %.0f%% (target >= 60%%)\n", (c > 0 ? 100 * h / c : 0) }'
if [ -n "${CALLGRIND:-}" ] && [ "${counted:-0}" -gt 0 ]; then
    kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
    server_pid=""
    echo "  instructions per event (callgrind, $counted events in the rounds):"
    total=0
    for f in "$CALLGRIND"/callgrind.out*; do
        [ -s "$f" ] || continue # valgrind's own, empty with --separate-threads
        n="$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}' || true)"
        [ -n "$n" ] || continue
        # Which thread a file is: by what ran in it while counting was on.
        if grep -q 'HttpConnection::onReadyRead' "$f"; then who="event loop"
        elif grep -q 'SqliteStorage::runUnits' "$f"; then who="writer"
        elif grep -q 'sqlite3_wal_checkpoint' "$f"; then who="checkpointer"
        else who="other"; fi
        total=$(( total + n ))
        awk -v w="$who" -v n="$n" -v c="$counted" -v f="$(basename "$f")" 'BEGIN {printf "    %-13s %8.1fk  (%s)\n", w, n / c / 1000, f}'
    done
    awk -v n="$total" -v c="$counted" 'BEGIN {printf "    %-13s %8.1fk\n", "all threads", n / c / 1000}'
fi
