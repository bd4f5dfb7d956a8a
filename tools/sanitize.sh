#!/usr/bin/env bash
# Builds the engine, the plugins and the engine tests with AddressSanitizer and UBSan into
# build-asan/ and runs them: the engine suite (validation, composition, the program runner,
# checkpoints, the graph fuzzer) and the command-line tests. Any report fails the run.
# About 25 minutes from scratch on 2 cores; not part of CI's budget (README, "Tests").
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLATENTFLOW_SANITIZE=ON -DLATENTFLOW_BENCH=OFF
cmake --build build-asan -j"$jobs" --target engine engine_test
# LibTorch is not instrumented: leaks of its static state at exit are not ours.
export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LF_FUZZ_SECONDS=${LF_FUZZ_SECONDS:-60}
(cd build-asan/tests/engine && ./engine_test)
bash tests/cli/cli_test.sh build-asan/engine/engine "$PWD"
echo "sanitize: no reports"
