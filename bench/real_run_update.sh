#!/usr/bin/env bash
# The model update as users get it: `engine run graphs/planet_state.json` at Kaixhin/PlaNet's
# symbolic sizes (encoder 5 -> 1024 -> 1024 -> 1024, decoder 230 -> 1024 -> 1024 -> 5, reward head
# 2 x 200, B = 50, T = 50), one thread, per-update time from `--trace` (the sum of the train flow's
# nodes over its calls). Each round runs the engine as it starts by itself and again with glibc's
# heap tuned from outside (GLIBC_TUNABLES: no trimming, mmap from 32 MiB), interleaved; prints the
# median per-update time of each and their ratio. The engine sets its allocator itself, so the ratio
# should be ~1: a ratio well above 1 means real runs pay a heap tax that a tuned process does not.
#
#   bench/real_run_update.sh [ROUNDS] [UPDATES]     (defaults 3 rounds of 10 updates)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-$here/build/engine/engine}
rounds=${1:-3}
updates=${2:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tunables=glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432

# One run; prints the mean ms per update.
run() {
  local name=$1
  shift
  "$@" "$engine" run "$here/graphs/planet_state.json" --run-dir "$tmp/$name" --trace "$tmp/$name.json" --threads "${THREADS:-1}" \
    --set vars.embed=1024 --set 'blocks.encoder.hidden=[1024,1024]' --set 'vars.reward_hidden=[200,200]' \
    --set vars.iterations=1 --set vars.updates="$updates" --set vars.eval_every=1000 \
    --set vars.candidates=10 --set vars.elites=2 --set vars.cem_iterations=1 >"$tmp/$name.log" 2>&1 ||
    { cat "$tmp/$name.log" >&2; exit 1; }
  python3 - "$tmp/$name.json" <<'EOF'
import json, sys
nodes = [n for n in json.load(open(sys.argv[1]))["nodes"] if n["node"].startswith("train/")]
calls = max(n["calls"] for n in nodes)
print("%.1f" % (sum(n["total_ms"] for n in nodes) / calls))
EOF
  rm -rf "${tmp:?}/$name"
}

own=() tuned=()
for r in $(seq "$rounds"); do
  own+=("$(run "own$r" env)") || exit 1
  tuned+=("$(run "tuned$r" env GLIBC_TUNABLES=$tunables)") || exit 1
  echo "round $r: engine as it starts ${own[-1]} ms/update, with GLIBC_TUNABLES ${tuned[-1]} ms/update"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
m_own=$(median "${own[@]}")
m_tuned=$(median "${tuned[@]}")
echo "median ms/update: engine as it starts $m_own, with GLIBC_TUNABLES $m_tuned, ratio $(awk -v a="$m_own" -v b="$m_tuned" 'BEGIN {printf "%.3f", a / b}')"
