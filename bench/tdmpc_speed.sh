#!/usr/bin/env bash
# TD-MPC's planning and update speed against the authors' computation in PyTorch, 1 thread, same
# machine, interleaved: each round runs bench/tdmpc_reference.py (the reference's plan and update in
# Python, Debian's python3-torch: the same torch build as our LibTorch) and a real `engine run` of
# graphs/tdmpc.json at cartpole-swingup sizes (obs 5, action 1; horizon 5, 512 + 25 samples, 6
# iterations; batch 512, prioritized windows, sampling included), whose per-call times come from
# its --trace. The engine's run has short episodes (50 agent steps) and full schedules from the
# start, so that its planned steps use the full horizon and the final std as the reference's timed
# calls do. Prints each round, the medians and the ratios engine / reference (the issue's target:
# <= 0.8).
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

engine_run() {
  "$engine" run "$here/graphs/tdmpc.json" --preset cartpole_swingup --threads 1 --run-dir "$tmp/run" \
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

declare -a ref_plan ref_update eng_plan eng_update
for r in $(seq "$rounds"); do
  if (( r % 2 )); then ref=$(reference); eng=$(engine_run); else eng=$(engine_run); ref=$(reference); fi
  read -r rp ru <<<"$ref"
  read -r ep eu <<<"$eng"
  ref_plan+=("$rp") ref_update+=("$ru") eng_plan+=("$ep") eng_update+=("$eu")
  echo "round $r: plan ms/action reference $rp engine $ep | update ms reference $ru engine $eu"
done
python3 - "${ref_plan[*]}" "${eng_plan[*]}" "${ref_update[*]}" "${eng_update[*]}" <<'PY'
import statistics, sys
rp, ep, ru, eu = (statistics.median(map(float, a.split())) for a in sys.argv[1:])
print(f"median plan:   reference {rp:.1f} ms, engine {ep:.1f} ms per action, ratio {ep / rp:.3f}")
print(f"median update: reference {ru:.1f} ms, engine {eu:.1f} ms, ratio {eu / ru:.3f}")
PY
