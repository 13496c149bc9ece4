#!/usr/bin/env bash
# Installs what building, running and testing Herald needs on Debian 12, and nothing that is already there.
# Safe to run again. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
    # build
    build-essential cmake ninja-build ccache pkg-config git
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-httpserver-dev
    libqt6sql6-sqlite libqt6sql6-psql qtkeychain-qt6-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
    libssl-dev openssl libnghttp2-dev libargon2-dev libsqlite3-dev libjemalloc-dev
    # fuzzing the parsers (scripts/fuzz.sh)
    clang-14 libclang-rt-14-dev libfuzzer-14-dev
    # run and try it out
    curl ca-certificates
    # real peers and load tools the tests and benchmarks start on loopback
    dovecot-imapd xvfb xauth nghttp2-client
    # PostgreSQL: libpq for the second storage engine, the server for the tests, which start
    # their own instances with initdb/pg_ctl (tests/support/PostgresServer)
    libpq-dev postgresql
    # running it as a service: sd_notify, the Windows service module cross-compiled and run under
    # Wine, promtool for the /metrics format, dpkg-deb for the package test
    libsystemd-dev g++-mingw-w64-x86-64 wine64 prometheus dpkg-dev procps
    # a font with Chinese glyphs, for the console's zh_CN screenshots under Xvfb
    fonts-wqy-microhei
    # Qt's own dialog buttons in Chinese when the console switches language
    qt6-translations-l10n
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js runs the benchmark's comparison client and the npm web-push peer of
# tst_webpushinterop (npm installs it into the build tree); the machine image may bring its own build.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts packaged daemons on install; tests run their own instances on loopback instead.
for svc in dovecot postgresql prometheus prometheus-node-exporter; do
    $sudo systemctl disable --now "$svc" >/dev/null 2>&1 || $sudo service "$svc" stop >/dev/null 2>&1 || true
done
