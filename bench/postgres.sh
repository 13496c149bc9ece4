# bench/postgres.sh — sourced by the benchmark scripts that run Herald on PostgreSQL: a private
# PostgreSQL in "$work/pg" (initdb, then pg_ctl on 127.0.0.1 on a free port, its socket in the same
# folder, fsync on), as the postgres user when run as root. Never the system's service.
#   bench_pg_start [EXTRA_POSTGRES_OPTIONS]   needs $work; sets pg_bin, as_pg, pg_port, pg_pid and
#                                             pg_uri (postgresql://herald@127.0.0.1:PORT/herald)
#   bench_pg_stop                             fast shutdown; safe to call when nothing started

pg_bin=""
as_pg=()
pg_port=""
pg_pid=""
pg_uri=""

bench_pg_start() {
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [ -x "$pg_bin/initdb" ] || { echo "bench: PostgreSQL missing (apt-get install postgresql)" >&2; return 1; }
    mkdir -p "$work/pg"
    if [ "$(id -u)" = 0 ]; then
        as_pg=(runuser -u postgres --)
        chown postgres: "$work/pg"
        chmod o+x "$work"
    fi
    "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U herald -E UTF8 --locale=C --auth=trust >/dev/null
    for _ in 1 2 3 4 5; do
        pg_port=$(( 20000 + RANDOM % 30000 ))
        "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -t 60 \
            -o "-p $pg_port -h 127.0.0.1 -k $work/pg ${1:-}" start >/dev/null && break
        pg_port=""
    done
    [ -n "$pg_port" ] || { echo "bench: PostgreSQL did not start" >&2; cat "$work/pg/log" >&2; return 1; }
    "${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U herald herald
    pg_pid="$(head -1 "$work/pg/data/postmaster.pid")"
    pg_uri="postgresql://herald@127.0.0.1:$pg_port/herald"
}

bench_pg_stop() {
    [ -n "$pg_bin" ] && [ -f "$work/pg/data/postmaster.pid" ] &&
        "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1
    return 0
}
