#!/usr/bin/env bash
# Sets everything up, builds the `dev` preset (Debug + ASan/UBSan) and runs the whole
# test suite through ctest. Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
jobs=$(nproc)

# The mapping and HTTP request fuzzers run briefly on every test run; they need clang, so
# they have their own preset (and run first, so ctest's closing summary below is the whole
# suite's). The gateway-handler fuzzer needs the whole gateway built with clang: its corpus
# is replayed in the dev suite (gateway.fuzz_corpus) and it is run at length by hand.
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$jobs" --target mapping_fuzz request_fuzz
ctest --test-dir build/fuzz -R '^(mapping|http)\.fuzz_short$' --output-on-failure

# The tests labelled `concurrency` again under ThreadSanitizer (the gateway and the sandbox
# they start too; the leak scan fails on any sanitizer report those programs printed).
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j"$jobs"
ctest --preset tsan -j"$jobs"

cmake --preset dev
cmake --build --preset dev -j"$jobs"
ctest --preset dev -j"$jobs"

# The side-by-side benchmark's harness, so it does not rot: one short round on the dev
# build's programs (a release build here would be a third full build). It checks that
# blubridge, nginx and the sandbox answer each scenario with the expected statuses and that
# the table is printed; it asserts no speed.
bench/run --quick --build-dir build/dev --out build/dev/bench-quick
