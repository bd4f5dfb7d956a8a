#!/usr/bin/env bash
# PlaNet's learning benchmark: graphs/planet_state.json (cartpole swingup from the 5-value state,
# the paper's model, planner and schedule) for a wall-clock budget, then the return curve as CSV
# and PNG next to the run, and the final evaluation return as a ratio to the random policy's
# return measured in the same run (the seed episodes).
#
#   bench/planet_learning.sh [MINUTES] [RUN_DIR] [engine run options...]   run, then report
#   bench/planet_learning.sh --report RUN_DIR                                 report an existing run
#
# The run is stopped with Ctrl-C's signal at the budget (it checkpoints; rerun to continue).
# Needs gnuplot (apt-get install gnuplot-nox) for the PNG.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-$here/build/engine/engine}

report() {
  local dir=$1
  python3 - "$dir" <<'PY'
import json, statistics, sys
d = sys.argv[1]
rows = [json.loads(l) for l in open(f"{d}/metrics.jsonl")]
with open(f"{d}/returns.csv", "w") as f:
    f.write("time_s,env_steps,episodes,updates,train_return,eval_return\n")
    for r in rows:
        f.write(",".join(str(r.get(k, "")) for k in ("time_s", "env_steps", "episodes", "updates", "train_return", "eval_return")) + "\n")
last = rows[-1]
evals = []
for r in rows:  # the eval metric keeps its last value between evaluations: take each once
    if "eval_return" in r and (not evals or r["eval_episodes"] != evals[-1][0]):
        evals.append((r["eval_episodes"], r["eval_return"], r["env_steps"]))
with open(f"{d}/evals.csv", "w") as f:
    f.write("env_steps,eval_return\n")
    for _, v, s in evals:
        f.write(f"{s},{v}\n")
seeds = [r["train_return"] for r in rows if r["label"] == "seed"]
print(f"random policy (the seed episodes): mean return {sum(seeds) / len(seeds):.1f} over {len(seeds)} episodes")
if evals and seeds:
    tail = [v for _, v, _ in evals[-5:]]
    print(f"last {len(tail)} evaluations: mean {sum(tail) / len(tail):.1f}; ratio to random {sum(tail) / len(tail) / (sum(seeds) / len(seeds)):.2f}")
print(f"run {d}: {last['env_steps']} env steps, {last['episodes']} episodes, {last['updates']} updates in {last['time_s'] / 60:.1f} min")
print("evaluation returns (env_steps: return): " + ", ".join(f"{s}: {v:.0f}" for _, v, s in evals))
PY
  gnuplot <<GP
set terminal pngcairo size 800,450
set output "$dir/returns.png"
set datafile separator ","
set key autotitle columnhead bottom right
set xlabel "environment steps"
set ylabel "episode return"
set title "PlaNet, cartpole swingup from states (LatentFlow, CPU)"
set grid
plot "$dir/returns.csv" using 2:5 with lines title "collected (exploration noise 0.3)", \
     "$dir/evals.csv" using 1:2 with linespoints title "evaluation (no noise)"
GP
  echo "wrote $dir/returns.csv, $dir/evals.csv and $dir/returns.png"
}

if [ "${1:-}" = "--report" ]; then
  report "$2"
  exit 0
fi
minutes=${1:-110}
dir=${2:-$here/runs/bench-planet-state}
shift $(( $# > 2 ? 2 : $# ))
start=$(date +%s)
set +e
timeout -s INT "${minutes}m" "$engine" run "$here/graphs/planet_state.json" --run-dir "$dir" \
  --set program.1.do.2.every=5 "$@"
set -e
echo "wall time this invocation: $(( ($(date +%s) - start) / 60 )) min"
report "$dir"
