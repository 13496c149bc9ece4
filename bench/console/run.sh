#!/usr/bin/env bash
# bench/console/run.sh — does a console's reading hold up everyone else? (issue 17)
#
# One herald-server on a PostgreSQL of its own with ACCOUNTS accounts and as many devices (inserted
# with generate_series, not registered). A probe times a request answered on the event loop alone
# (GET /v1/notifications without a token: 401 at once, no read), PROBES times over keep-alive
# connections, first with nothing else running, then while CONSOLE console clients poll
# GET /admin/v1/devices?limit=100 (a page of devices, with every account's name) and
# GET /admin/v1/stats back to back. While the server reads on its event loop, the probe waits for
# those reads; with reading connections it should not.
#   bench/console/run.sh [BUILD_DIR]
#   env: ACCOUNTS (200000) CONSOLE (2) PROBES (2000) SERVER_BIN (another herald-server, for A/B)
#        KEEP=1 keeps the files
# Prints the probe's p50/p99/max in ms for both phases and the console's requests/s. Never run by ctest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
ACCOUNTS="${ACCOUNTS:-200000}"
CONSOLE="${CONSOLE:-2}"
PROBES="${PROBES:-2000}"
server_bin="${SERVER_BIN:-$build/server/herald-server}"
command -v curl >/dev/null || { echo "run.sh: needs curl" >&2; exit 1; }
# shellcheck source=../postgres.sh
. "$here/../postgres.sh"

work="$(mktemp -d /tmp/herald-bench-console.XXXXXX)"
server_pid=""
console_pids=()
cleanup() {
    { [ -n "${console_pids[*]:-}" ] && touch "$work/console.stop"; } || true # the clients end on their own
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    bench_pg_stop
    if [ -n "${KEEP:-}" ]; then echo "files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- PostgreSQL ----------------------------------------------------------------------------------
bench_pg_start || exit 1
common=(--data-dir "$work/data" --kdf-memory-kib 256 --kdf-iterations 1
        --database postgresql --database-uri "$pg_uri")
psql_() { "${as_pg[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U herald -d herald -v ON_ERROR_STOP=1 "$@"; }

# --- the rows: the schema from herald-server itself, then accounts and devices in bulk -----------
printf 'bench-password-1\n' | "$server_bin" user add seed "${common[@]}" >/dev/null
psql_ -c "INSERT INTO accounts (name, password_hash, created_at)
              SELECT 'user' || g, 'x', 0 FROM generate_series(1, $ACCOUNTS) g;
          INSERT INTO devices (account_id, device_id, platform, push_token, token_hash, created_at)
              SELECT a.id, 'dev-' || a.name, CASE WHEN a.id % 2 = 0 THEN 'ios' ELSE 'android' END,
                     'tok' || a.id, sha256(a.name::bytea), 0
              FROM accounts a WHERE a.name LIKE 'user%';
          INSERT INTO device_apps (device_id, app) SELECT id, 'mail' FROM devices;
          ANALYZE;"

# --- the server ------------------------------------------------------------------------------------
"$server_bin" "${common[@]}" --foreground --listen 127.0.0.1:0 >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 300); do
    port="$(sed -n 's/.*listening on https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.log" | head -1)"
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "run.sh: herald-server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
ca="$work/data/tls/herald-cert.pem"
base="https://127.0.0.1:$port"
admin_password="$(cat "$work/data/initial-admin-password")"
token="$(curl -sS --cacert "$ca" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" "$base/admin/v1/login" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$token" ] || { echo "run.sh: the console login failed" >&2; exit 1; }

probe() { # $1 label: PROBES requests, 100 per keep-alive connection (its first, with the handshake, not counted)
    local batch urls=() i
    for ((i = 0; i < 101; i++)); do urls+=(-o /dev/null "$base/v1/notifications"); done # -o is per URL
    : >"$work/probe"
    for ((batch = 0; batch < PROBES / 100; batch++)); do
        curl -s --cacert "$ca" -w '%{time_total}\n' "${urls[@]}" | tail -n +2 >>"$work/probe"
    done
    sort -n "$work/probe" | awk -v label="$1" '{a[NR] = $1 * 1000}
        END {printf "%s: probes=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f", label, NR, a[int(NR * 0.5)], a[int(NR * 0.99)], a[NR]}'
}

echo "server: $server_bin; $ACCOUNTS accounts and devices; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
t0="$(date +%s.%N)"
curl -sS -o /dev/null --cacert "$ca" -H "Authorization: Bearer $token" "$base/admin/v1/devices?limit=100"
echo "one devices page alone: $(awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN {printf "%.0f ms", (t1 - t0) * 1000}')"
echo "$(probe idle)"

for ((i = 0; i < CONSOLE; i++)); do
    : >"$work/console.$i"
    (
        while [ -d "$work" ] && [ ! -e "$work/console.stop" ]; do
            for path in "devices?limit=100" "stats"; do
                curl -sS -o /dev/null --cacert "$ca" -H "Authorization: Bearer $token" "$base/admin/v1/$path" &&
                    echo >>"$work/console.$i"
            done
        done
    ) &
    console_pids+=($!)
done
c0="$(date +%s.%N)"
line="$(probe "with $CONSOLE console clients")"
c1="$(date +%s.%N)"
touch "$work/console.stop" # each client ends after its request under way: none is cut off
for pid in "${console_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
console_pids=()
n=0
for ((i = 0; i < CONSOLE; i++)); do n=$(( n + $(wc -l <"$work/console.$i") )); done
echo "$line $(awk -v n="$n" -v t0="$c0" -v t1="$c1" 'BEGIN {printf "console_rps=%.1f", n / (t1 - t0)}')"
