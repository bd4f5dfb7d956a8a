#!/usr/bin/env bash
# Configures and builds everything (engine, plugins, tests, benchmarks) into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}   # LibTorch translation units take ~1.2 GB each: 2 jobs fit this project's 2-core machines
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
