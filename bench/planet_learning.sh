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
print(f"run {d}: {last['env_steps']} env steps, {last['episodes']} episodes, {last['updates']} updates in {last['time_s'] / 60:.1f} min")
print("evaluation returns (env_steps: return): " + ", ".join(f"{s}: {v:.0f}" for _, v, s in evals))
PY
  # The random policy's return: the seed episodes, read from the first row (after the 5 seed episodes,
  # train_return is the last of them); the mean of all five is in the checkpoint-independent log.
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
     "" using 2:6 with linespoints title "evaluation (no noise)"
GP
  echo "wrote $dir/returns.csv and $dir/returns.png"
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
