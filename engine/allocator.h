// The process's heap settings, the same for every entry point: the engine CLI, the tests and the
// benchmarks (each builds a Workspace, which applies them; the CLI also does so first thing).
#pragma once

namespace lf {

// glibc's malloc: never trim the heap top (trim threshold 1 GiB) and serve blocks below 32 MiB from
// the heap. With glibc's defaults every LibTorch update gives its freed activations back to the
// kernel and faults them in again: PlaNet's update at Kaixhin's symbolic sizes took 1754-1789 ms
// instead of 827-844 ms (bench/real_run_update.sh; jemalloc and mimalloc measured worse here).
// Idempotent; returns false when glibc refused a setting.
bool configure_allocator();

}  // namespace lf
