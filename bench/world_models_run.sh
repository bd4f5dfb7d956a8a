#!/usr/bin/env bash
# World Models' benchmark: graphs/world_models.json (cartpole swingup from 64x64 pixels) run to the
# end with a budget that fits in about an hour on one core, then the phase timings and the evolved
# controller's return against the random policy's (phase 1's Brownian random rollouts), measured
# in the same run.
#
#   bench/world_models_run.sh [RUN_DIR] [engine run options...]   run, then report
#   bench/world_models_run.sh --report RUN_DIR                     report an existing run
#
# The budget (--set below; the graph file keeps the paper's sizes): 200 random episodes, 2000 VAE
# updates of 100 frames, 300 MDN-RNN updates of 20 windows of 126 frames, 200 CMA-ES generations
# of population 24 with 4 real rollouts per candidate (96 environments), then the best candidate
# on 96 episodes. Interrupted runs resume with the same command.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-$here/build/engine/engine}

report() {
  python3 - "$1" <<'PY'
import json, sys
d = sys.argv[1]
rows = [json.loads(l) for l in open(f"{d}/metrics.jsonl")]
def last(label): return [r for r in rows if r["label"] == label][-1]
ends = {"collect": last("collect")["time_s"], "vae": last("vae")["time_s"], "mdn": last("mdn")["time_s"],
        "es": last("es")["time_s"], "final": last("final")["time_s"]}
prev = 0.0
print("phase timings (wall, minutes):")
for name, label in (("1 random rollouts", "collect"), ("2 VAE", "vae"), ("3 MDN-RNN", "mdn"),
                    ("4 CMA-ES", "es"), ("controller evaluation", "final")):
    print(f"  {name:22s} {(ends[label] - prev) / 60:6.1f}")
    prev = ends[label]
print(f"  {'total':22s} {prev / 60:6.1f}")
f = last("final")
print(f"VAE: reconstruction {last('vae')['vae_recon']:.1f} (sum of squares per frame), KL {last('vae')['vae_kl']:.2f}")
print(f"MDN-RNN: mixture NLL {last('mdn')['mdn_nll']:.3f} per latent dim")
randoms = [r["random_return"] for r in rows if r["label"] == "collect"]  # one row per episode
rand = sum(randoms) / len(randoms)
print(f"random policy (phase 1, Brownian): mean return {rand:.1f} over {len(randoms)} episodes")
print(f"evolved controller: {f['controller_return']:.1f} (mean of the real episodes of controller_eval); "
      f"ratio to random {f['controller_return'] / rand:.2f}")
with open(f"{d}/generations.csv", "w") as out:
    out.write("generation,time_s,fitness_mean,fitness_max,best_fitness,es_sigma\n")
    for r in rows:
        if r["label"] == "es":
            out.write(f"{r['generations']},{r['time_s']:.1f},{r['fitness_mean']},{r['fitness_max']},{r['best_fitness']},{r['es_sigma']}\n")
PY
  gnuplot <<GP
set terminal pngcairo size 800,450
set output "$1/generations.png"
set datafile separator ","
set key bottom right
set xlabel "CMA-ES generation"
set ylabel "episode return (mean of 4 rollouts)"
set title "World Models, cartpole swingup from pixels (LatentFlow, CPU): controller evolution"
set grid
plot "$1/generations.csv" using 1:3 with lines title "population mean", \
     "$1/generations.csv" using 1:4 with lines title "population best", \
     "$1/generations.csv" using 1:5 with lines title "best so far"
GP
  echo "wrote $1/generations.csv and $1/generations.png"
}

if [ "${1:-}" = "--report" ]; then
  report "$2"
  exit 0
fi
dir=${1:-$here/runs/bench-world-models}
shift $(( $# > 0 ? 1 : 0 ))
sets=(
  vars.random_episodes=200 program.0.do.1.every=1 vars.vae_updates=2000
  vars.mdn_updates=300 program.4.do.1.every=20 vars.m_batch=20
  vars.generations=200 vars.population=24 vars.rollouts=4
)
args=()
for s in "${sets[@]}"; do args+=(--set "$s"); done
start=$(date +%s)
"$engine" run "$here/graphs/world_models.json" --run-dir "$dir" "${args[@]}" "$@"
echo "wall time this invocation: $(( ($(date +%s) - start) / 60 )) min"
report "$dir"
