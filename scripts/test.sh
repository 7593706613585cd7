#!/usr/bin/env bash
# Sets everything up, builds the `dev` preset (Debug + ASan/UBSan) and runs the whole
# test suite through ctest. Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
jobs=$(nproc)

# The mapping fuzzer runs briefly on every test run; it needs clang, so it has its own
# preset (and runs first, so ctest's closing summary below is the whole suite's).
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$jobs" --target mapping_fuzz
ctest --test-dir build/fuzz -R '^mapping\.fuzz_short$' --output-on-failure

cmake --preset dev
cmake --build --preset dev -j"$jobs"
ctest --preset dev -j"$jobs"
