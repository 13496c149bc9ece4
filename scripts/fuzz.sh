#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang in build-fuzz/ and runs each for a bounded time
# through CTest: every seed and kept regression input first, then new inputs until the budget is
# spent. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] (default 20). A crash or hang leaves its
# input as build-fuzz/fuzz/fuzz_<target>-crash-… ; fix it and keep the input in fuzz/corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
build=${HERALD_FUZZ_BUILD_DIR:-build-fuzz}
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHERALD_BUILD_FUZZ=ON -DHERALD_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -L fuzz -j"$(nproc)"
