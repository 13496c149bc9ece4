#!/usr/bin/env bash
# The outbox's claim at restart on both engines: herald-claim-bench on a SQLite file, then on a
# PostgreSQL of its own (bench/postgres.sh). Never run by ctest.
#   bench/claims/run.sh [BUILD_DIR]    env: ROWS (100000) PAGE (500) ROUNDS (3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
ROWS="${ROWS:-100000}"
PAGE="${PAGE:-500}"
ROUNDS="${ROUNDS:-3}"
cmake --build "$build" --target herald-claim-bench >/dev/null
bin="$build/bench/herald-claim-bench"
work="$(mktemp -d /tmp/herald-bench-claims.XXXXXX)"
# shellcheck source=../postgres.sh
. "$here/../postgres.sh"
trap 'bench_pg_stop; rm -rf "$work"' EXIT
"$bin" --rows "$ROWS" --page "$PAGE" --rounds "$ROUNDS" --dir /var/tmp
bench_pg_start
"$bin" --rows "$ROWS" --page "$PAGE" --rounds "$ROUNDS" --uri "$pg_uri"
