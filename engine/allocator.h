// The process's heap settings, the same for every entry point: the engine CLI, the tests and the
// benchmarks (each builds a Workspace, which applies them; the CLI also does so first thing).
#pragma once

namespace lf {

// glibc's malloc: never trim the heap top (trim threshold 1 GiB) and serve blocks below 32 MiB from
// the heap. With glibc's defaults a LibTorch update can give its freed activations back to the
// kernel and fault them in again on the next one (PLATFORM.md: PlaNet's update 1739 ms instead of
// 901; LD_PRELOADed jemalloc and mimalloc were slower); bench/real_run_update.sh measures it.
// Idempotent; returns false when glibc refused a setting.
bool configure_allocator();

}  // namespace lf
