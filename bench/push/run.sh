#!/usr/bin/env bash
# Push benchmark: Herald's ApnsProvider vs h2load (the HTTP/2 ceiling) vs @parse/node-apn, all
# against the same apns-standin process, same payload, same connection count.
#   bench/push/run.sh [BUILD_DIR]     env: COUNT (20000) CONNECTIONS (1) WINDOW (1000) ROUNDS (3)
# Prints one line per run and a summary with medians and ratios. Never run by ctest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
COUNT="${COUNT:-20000}"
CONNECTIONS="${CONNECTIONS:-1}"
WINDOW="${WINDOW:-1000}"
ROUNDS="${ROUNDS:-3}"

cmake --build "$build" --target apns-standin herald-push-bench >/dev/null
command -v h2load >/dev/null || { echo "run.sh: h2load missing (apt-get install nghttp2-client)" >&2; exit 1; }
command -v node >/dev/null || { echo "run.sh: node missing" >&2; exit 1; }
if [ ! -d "$here/node/node_modules/@parse/node-apn" ]; then
    (cd "$here/node" && npm install --no-audit --no-fund --silent)
fi

work="$(mktemp -d)"
standin_pid=""
cleanup() {
    [ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$build/tests/standins/apns-standin" --dir "$work" >"$work/standin.log" 2>&1 &
standin_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "run.sh: apns-standin did not start" >&2; cat "$work/standin.log" >&2; exit 1; }
port="$(cat "$work/port")"
token="$(printf 'a%.0s' $(seq 64))"
cat >"$work/payload.json" <<'JSON'
{"aps":{"alert":{"title":"Alice","body":"New mail: quarterly report"},"sound":"default","mutable-content":1},"nid":"n1","uri":"herald://open/n1"}
JSON

rate() { sed -n 's/.*rate=\([0-9]*\).*/\1/p'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
herald_rates=(); h2load_rates=(); node_rates=(); herald_lines=()
for round in $(seq "$ROUNDS"); do
    line="$("$build/bench/herald-push-bench" --dir "$work" --count "$COUNT" --connections "$CONNECTIONS" --window "$WINDOW" 2>/dev/null | tail -1)"
    echo "round $round: $line"
    herald_rates+=("$(echo "$line" | rate)"); herald_lines+=("$line")

    # h2load needs a valid provider token: apns-standin wrote one (token.jwt) signed with its .p8.
    out="$(h2load -n "$COUNT" -c "$CONNECTIONS" -m "$WINDOW" \
        -H "authorization: bearer $(cat "$work/token.jwt")" -H 'apns-topic: com.example.herald' \
        -H 'apns-push-type: alert' -d "$work/payload.json" "https://127.0.0.1:$port/3/device/$token" 2>&1)"
    ok="$(echo "$out" | sed -n 's/^status codes: \([0-9]*\) 2xx.*/\1/p')"
    # "finished in 1.51s," or "finished in 380.12ms,"
    secs="$(echo "$out" | awk '/^finished in/ { v = $3; sub(/,$/, "", v); if (v ~ /ms$/) { sub(/ms$/, "", v); v /= 1000 } else sub(/s$/, "", v); print v }')"
    r="$(awk -v n="${ok:-0}" -v s="${secs:-0}" 'BEGIN {printf "%d", (s > 0 ? n / s : 0)}')"
    echo "round $round: h2load 2xx=$ok seconds=$secs rate=$r"
    h2load_rates+=("$r")

    line="$(cd "$here/node" && NODE_EXTRA_CA_CERTS="$work/ca.pem" node bench.js "$work" "$COUNT" "$CONNECTIONS" "$WINDOW" 2>/dev/null | tail -1 || true)"
    echo "round $round: $line"
    node_rates+=("$(echo "$line" | rate)")
done

h="$(printf '%s\n' "${herald_rates[@]}" | median)"
c="$(printf '%s\n' "${h2load_rates[@]}" | median)"
n="$(printf '%s\n' "${node_rates[@]}" | median)"
echo
echo "median over $ROUNDS rounds, $COUNT pushes, $CONNECTIONS connection(s), window $WINDOW:"
echo "  herald   $h /s"
echo "  h2load   $c /s"
echo "  node-apn $n /s"
# Per-round ratios too: on a shared machine the three runs of one round see the same background load.
ratios_h2=(); ratios_node=()
for i in "${!herald_rates[@]}"; do
    ratios_h2+=("$(awk -v h="${herald_rates[$i]:-0}" -v c="${h2load_rates[$i]:-0}" 'BEGIN {printf "%.0f", (c > 0 ? 100 * h / c : 0)}')")
    ratios_node+=("$(awk -v h="${herald_rates[$i]:-0}" -v n="${node_rates[$i]:-0}" 'BEGIN {printf "%.2f", (n > 0 ? h / n : 0)}')")
done
echo "  per-round herald/h2load %: ${ratios_h2[*]} (median $(printf '%s\n' "${ratios_h2[@]}" | median))"
echo "  per-round herald/node-apn: ${ratios_node[*]} (median $(printf '%s\n' "${ratios_node[@]}" | median))"
awk -v h="$h" -v c="$c" -v n="$n" 'BEGIN {
    printf "  herald / node-apn = %.2fx (target >= 2x)\n", (n > 0 ? h / n : 0);
    printf "  herald / h2load   = %.0f%% (target >= 60%%)\n", (c > 0 ? 100 * h / c : 0) }'
