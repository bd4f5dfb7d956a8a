#!/usr/bin/env bash
# TD-MPC's planning and update speed against the authors' computation in PyTorch, 1 thread, same
# machine, interleaved: each round runs bench/tdmpc_reference.py (the reference's plan and update in
# Python, Debian's python3-torch: the same torch build as our LibTorch) and a real `engine run` of
# graphs/tdmpc.json at cartpole-swingup sizes (obs 5, action 1; horizon 5, 512 + 25 samples, 6
# iterations; batch 512, prioritized windows, sampling included), whose per-call times come from
# its --trace. The engine's run has short episodes (50 agent steps) and full schedules from the
# start, so that its planned steps use the full horizon and the final std as the reference's timed
# calls do. The engine runs twice per round: float32, and with the graph's `compute` var at
# bfloat16 (bf16 matrix products, float32 weights and everything else; lf::Linear). Prints each
# round, the medians and the ratios engine / reference (issue #15's target: <= 0.8).
#
#   bench/tdmpc_speed.sh [ROUNDS]          (3 rounds)   ENGINE=PATH another build
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-$here/build/engine/engine}
python=/usr/bin/python3
"$python" -c "import torch" 2>/dev/null || { echo "needs Debian's python3-torch (apt-get install python3-torch)" >&2; exit 2; }
rounds=${1:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

reference() {
  "$python" "$here/bench/tdmpc_reference.py" 5 1 30 30 | awk '{printf "%s ", $2}'
}

engine_run() {  # $1: the graph's compute dtype
  "$engine" run "$here/graphs/tdmpc.json" --preset cartpole_swingup --threads 1 --run-dir "$tmp/run" --set vars.compute="$1" \
    --trace "$tmp/trace.json" --set vars.episode_steps=400 --set vars.seed_steps=50 --set vars.train_steps=150 \
    --set vars.schedule_steps=1 --set vars.eval_episodes=1 >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log" >&2; exit 1; }
  python3 - "$tmp/trace.json" <<'PY'
import json, sys
nodes = json.load(open(sys.argv[1]))["nodes"]
plan = [n for n in nodes if n["node"] == "collect_step/plan"][0]
train = [n for n in nodes if n["node"].startswith("train/")]
print("%.1f %.1f" % (plan["total_ms"] / plan["calls"], sum(n["total_ms"] for n in train) / max(n["calls"] for n in train)), end=" ")
PY
  rm -rf "$tmp/run"
}

declare -a ref_plan ref_update eng_plan eng_update bf_plan bf_update
for r in $(seq "$rounds"); do
  case $((r % 3)) in  # rotate which goes first
    1) ref=$(reference); eng=$(engine_run float32); bf=$(engine_run bfloat16) ;;
    2) eng=$(engine_run float32); bf=$(engine_run bfloat16); ref=$(reference) ;;
    0) bf=$(engine_run bfloat16); ref=$(reference); eng=$(engine_run float32) ;;
  esac
  read -r rp ru <<<"$ref"
  read -r ep eu <<<"$eng"
  read -r bp bu <<<"$bf"
  ref_plan+=("$rp") ref_update+=("$ru") eng_plan+=("$ep") eng_update+=("$eu") bf_plan+=("$bp") bf_update+=("$bu")
  echo "round $r: plan ms/action reference $rp engine $ep bf16 $bp | update ms reference $ru engine $eu bf16 $bu"
done
python3 - "${ref_plan[*]}" "${eng_plan[*]}" "${bf_plan[*]}" "${ref_update[*]}" "${eng_update[*]}" "${bf_update[*]}" <<'PY'
import statistics, sys
rp, ep, bp, ru, eu, bu = (statistics.median(map(float, a.split())) for a in sys.argv[1:])
print(f"median plan:   reference {rp:.1f} ms, engine float32 {ep:.1f} ms (ratio {ep / rp:.3f}), bfloat16 {bp:.1f} ms (ratio {bp / rp:.3f})")
print(f"median update: reference {ru:.1f} ms, engine float32 {eu:.1f} ms (ratio {eu / ru:.3f}), bfloat16 {bu:.1f} ms (ratio {bu / ru:.3f})")
PY
