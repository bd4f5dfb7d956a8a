#!/usr/bin/env bash
# Builds and runs every test with ctest. Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh
ctest --test-dir build --output-on-failure -j"${JOBS:-2}"
