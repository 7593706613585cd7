#!/usr/bin/env bash
# Sets everything up, builds the `dev` preset (Debug + ASan/UBSan) and runs the whole
# test suite through ctest. Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
jobs=$(nproc)
cmake --preset dev
cmake --build --preset dev -j"$jobs"
ctest --preset dev -j"$jobs"
