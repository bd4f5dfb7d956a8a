#!/usr/bin/env bash
# The updates as users get them: `engine run` of an agent's graph, per-call time of its update flows
# from `--trace` (the sum of a flow's nodes over its calls), under three heap set-ups, interleaved:
#
#   own       the engine as it starts (it sets glibc's heap itself: engine/allocator.h)
#   tunables  the same with GLIBC_TUNABLES setting those options from outside (no trim, mmap from
#             32 MiB): the engine's own settings override them, so this should equal `own`
#   defaults  glibc's default heap: the engine's mallopt calls made no-ops by an LD_PRELOADed shim
#             (what every run got before the engine set its heap)
#
# Each round runs the three in turn, rotating which goes first; prints each round and the medians
# with the ratios to `own`.
#
#   AGENT=planet|dreamer|world_models bench/real_run_update.sh [ROUNDS] [UPDATES]   (3 rounds, 10 updates)
#
# planet: graphs/planet_state.json at Kaixhin/PlaNet's symbolic sizes (encoder 5 -> 1024 -> 1024 ->
# 1024, decoder 230 -> 1024 -> 1024 -> 5, reward head 2 x 200, B = T = 50), flow train; a tiny
# planner so that the collect episode is short. dreamer: graphs/dreamer_state.json at its own
# (the authors') sizes, flow train. world_models: graphs/world_models.json at the paper's sizes with
# bench/world_models_run.sh's batch and population (M batch 20, population 24 x 4 rollouts), flows
# train_vae, train_mdn and generation (UPDATES of each update, 2 generations).
# THREADS=N sets --threads (default 1), ENGINE=PATH another build.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-$here/build/engine/engine}
agent=${AGENT:-planet}
rounds=${1:-3}
updates=${2:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tunables=glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432
printf 'int mallopt(int param, int value) { (void)param; (void)value; return 1; }\n' >"$tmp/shim.c"
cc -shared -fPIC -O2 -o "$tmp/no_mallopt.so" "$tmp/shim.c"

case $agent in
  planet)
    graph=graphs/planet_state.json flows=(train)
    sets=(vars.embed=1024 'blocks.encoder.hidden=[1024,1024]' 'vars.reward_hidden=[200,200]' vars.iterations=1
          vars.updates="$updates" vars.eval_every=1000 vars.candidates=10 vars.elites=2 vars.cem_iterations=1) ;;
  dreamer)
    graph=graphs/dreamer_state.json flows=(train)
    sets=(vars.iterations=1 vars.updates="$updates" vars.eval_every=1000) ;;
  world_models)
    graph=graphs/world_models.json flows=(train_vae train_mdn generation)
    sets=(vars.random_episodes=4 vars.vae_updates="$updates" vars.mdn_updates="$updates" vars.m_batch=20
          vars.generations=2 vars.population=24 vars.rollouts=4) ;;
  *) echo "AGENT must be planet, dreamer or world_models" >&2; exit 2 ;;
esac
args=()
for s in "${sets[@]}"; do args+=(--set "$s"); done

# One run; prints the mean ms per call of each flow, space-separated.
run() {
  local name=$1
  shift
  "$@" "$engine" run "$here/$graph" --run-dir "$tmp/$name" --trace "$tmp/$name.json" --threads "${THREADS:-1}" \
    "${args[@]}" >"$tmp/$name.log" 2>&1 || { cat "$tmp/$name.log" >&2; exit 1; }
  python3 - "$tmp/$name.json" "${flows[@]}" <<'EOF'
import json, sys
nodes = json.load(open(sys.argv[1]))["nodes"]
out = []
for flow in sys.argv[2:]:
    mine = [n for n in nodes if n["node"].startswith(flow + "/")]
    out.append("%.1f" % (sum(n["total_ms"] for n in mine) / max(n["calls"] for n in mine)))
print(" ".join(out))
EOF
  rm -rf "${tmp:?}/$name"
}

variants=(own tunables defaults)
declare -A cmd=([own]="env" [tunables]="env GLIBC_TUNABLES=$tunables" [defaults]="env LD_PRELOAD=$tmp/no_mallopt.so")
declare -A times
for r in $(seq "$rounds"); do
  line="round $r:"
  # rotate which variant goes first
  order=("${variants[@]:$(( (r - 1) % 3 ))}" "${variants[@]:0:$(( (r - 1) % 3 ))}")
  for v in "${order[@]}"; do
    # shellcheck disable=SC2086
    times[$v,$r]=$(run "$v$r" ${cmd[$v]}) || exit 1
    line+=" $v ${times[$v,$r]} |"
  done
  echo "$line ms per call of ${flows[*]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "medians over $rounds rounds, ms per call ($agent, ${THREADS:-1} thread(s)):"
for i in "${!flows[@]}"; do
  declare -A m=()
  for v in "${variants[@]}"; do
    col=()
    for r in $(seq "$rounds"); do
      read -ra f <<<"${times[$v,$r]}"
      col+=("${f[$i]}")
    done
    m[$v]=$(median "${col[@]}")
  done
  printf '  %-12s own %8s  tunables %8s (%s)  defaults %8s (%s)\n' "${flows[$i]}" "${m[own]}" \
    "${m[tunables]}" "$(awk -v a="${m[tunables]}" -v b="${m[own]}" 'BEGIN {printf "%.3f", a / b}')" \
    "${m[defaults]}" "$(awk -v a="${m[defaults]}" -v b="${m[own]}" 'BEGIN {printf "%.3f", a / b}')"
done
