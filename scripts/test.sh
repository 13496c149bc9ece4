#!/usr/bin/env bash
# Builds Herald from scratch in build-test/ and runs the whole test suite with CTest.
# Installs missing Debian packages first (scripts/deps.sh). Services the tests need (Dovecot,
# Xvfb) are started by the tests themselves on loopback and stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh
build=${HERALD_TEST_BUILD_DIR:-build-test}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"
# The parsers that read bytes from outside, fuzzed for a bounded time each (HERALD_FUZZ_SECONDS).
bash scripts/fuzz.sh "${HERALD_FUZZ_SECONDS:-20}"
cd "$build"
ctest --output-on-failure --timeout 600 -j2
