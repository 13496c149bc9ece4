#!/usr/bin/env bash
# scripts/screenshots.sh OUT_DIR — pictures of the admin console for the README and for review.
# Builds herald-server and the console-screenshots tool, which starts a server with demo data
# (users, devices in every presence state over real session channels, an APNs stand-in, delivered,
# pending and failed notifications) and a private Xvfb, then writes a PNG of every tab and of the
# test-push dialog, in English (en-*.png) and Simplified Chinese (zh-*.png), plus two tabs under a
# dark palette (dark-*.png). Needs what scripts/deps.sh installs (xvfb among it).
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
out=$(mkdir -p "$1" && cd "$1" && pwd)
cd "$(dirname "$0")/.."
build=${HERALD_BUILD_DIR:-build}
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target herald-server console-screenshots
HERALD_SERVER_BIN="$PWD/$build/server/herald-server" HERALD_SOURCE_DIR="$PWD" \
    "$build/tests/consolekit/console-screenshots" "$out"
