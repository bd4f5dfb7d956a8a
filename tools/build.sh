#!/usr/bin/env bash
# Configures and builds into build/: everything (engine, plugins, tests, benchmarks), or only the
# targets named, e.g. `bash tools/build.sh engine` (the CLI and the plugins it loads).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}   # LibTorch translation units take ~1.2 GB each: 2 jobs fit this project's 2-core machines
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"$jobs" "${targets[@]}"
