# Shared by the learning benchmarks (bench/planet_learning.sh, bench/dreamer_learning.sh), sourced
# after they set:
#   graph      graph file, relative to the repository
#   title      the plot's title
#   random     the log label of the episodes acted with random actions (the random policy's return)
#   dir        default run directory
#   sets       array of --set values the benchmark applies
#   collected  (optional) how the training episodes act, for the plot's legend
# Usage of the benchmarks:
#   SCRIPT [MINUTES] [RUN_DIR] [engine run options...]   run for a wall-clock budget, then report
#   SCRIPT --report RUN_DIR                                report an existing run
# The run is stopped with Ctrl-C's signal at the budget (it checkpoints; rerun to continue). The
# report writes returns.csv, evals.csv and returns.png (gnuplot-nox) into the run directory and
# prints the mean of the last five evaluation returns as a ratio to the random policy's return
# measured in the same run.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-$here/build/engine/engine}

report() {
  local d=$1
  python3 - "$d" "$random" <<'PY'
import json, sys
d, random_label = sys.argv[1], sys.argv[2]
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
seeds = [r["train_return"] for r in rows if r["label"] == random_label]
print(f"random policy ({random_label} episodes): mean return {sum(seeds) / len(seeds):.1f} over {len(seeds)} episodes")
if evals and seeds:
    tail = [v for _, v, _ in evals[-5:]]
    mean, rand = sum(tail) / len(tail), sum(seeds) / len(seeds)
    ratio = f"{mean / rand:.2f}" if rand > 0 else "undefined (the random policy scored 0)"
    print(f"last {len(tail)} evaluations: mean {mean:.1f}; ratio to random {ratio}")
print(f"run {d}: {last['env_steps']} env steps, {last['episodes']} episodes, {last.get('updates', 0)} updates in {last['time_s'] / 60:.1f} min")
print("evaluation returns (env_steps: return): " + ", ".join(f"{s}: {v:.0f}" for _, v, s in evals))
PY
  gnuplot <<GP
set terminal pngcairo size 800,450
set output "$d/returns.png"
set datafile separator ","
set key autotitle columnhead bottom right
set xlabel "environment steps"
set ylabel "episode return"
set title "$title"
set grid
plot "$d/returns.csv" using 2:5 with lines title "collected (${collected:-exploration noise 0.3})", \
     "$d/evals.csv" using 1:2 with linespoints title "evaluation (no noise)"
GP
  echo "wrote $d/returns.csv, $d/evals.csv and $d/returns.png"
}

if [ "${1:-}" = "--report" ]; then
  report "$2"
  exit 0
fi
minutes=${1:-110}
dir=${2:-$dir}
shift $(( $# > 2 ? 2 : $# ))
args=()
for s in "${sets[@]}"; do args+=(--set "$s"); done
start=$(date +%s)
set +e
timeout -s INT "${minutes}m" "$engine" run "$here/$graph" --run-dir "$dir" "${args[@]}" "$@"
set -e
echo "wall time this invocation: $(( ($(date +%s) - start) / 60 )) min"
report "$dir"
