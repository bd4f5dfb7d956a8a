#!/usr/bin/env bash
# DreamerV3's update and policy speed at the paper's dmc_proprio sizes (graphs/dreamerv3_state.json
# unchanged: deter 512, 32 x 32 latents, encoder and decoder MLPs 5 x 1024, heads 2 x 512, batch
# 16 x 64, imagination of 15 steps from 1024 start states) against the same computation in eager
# PyTorch (bench/dreamerv3_reference.py, Debian's python3-torch: the same torch build as our
# LibTorch), interleaved, alternating which goes first, 1 thread by default. The engine is measured
# as users run it: a real `engine run` (its allocator and threads), whose per-node times come from
# --trace. Reported per update: the world-model step (the train flow's nodes from the batch to the
# model's Adam step, backward included) and imagination + actor + critic (the rest of the train
# flow); per agent step: the policy at batch 1 (collect_step without the environment and the
# replay). The engine runs twice per round: float32, and with the graph's `compute` var at bfloat16
# (bf16 matrix products, float32 weights and everything else; lf::Linear). Prints each round, the
# medians, the ratios engine / reference, and the public PyTorch
# port's figures that issue #16 quotes for this machine (NM512/dreamerv3-torch, eager, 1 thread:
# 1899 ms, 9874 ms, 6.7 ms) for reference (that port is not re-run here).
#
#   bench/dreamerv3_speed.sh [ROUNDS] [UPDATES] [THREADS]     (3 rounds, 10 updates, 1 thread)
#   ENGINE=PATH another build
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-$here/build/engine/engine}
python=/usr/bin/python3
"$python" -c "import torch" 2>/dev/null || { echo "needs Debian's python3-torch (apt-get install python3-torch)" >&2; exit 2; }
rounds=${1:-3}
updates=${2:-10}
threads=${3:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

reference() {
  # walker_walk: 24 observations, 6 actions (the graph's default task)
  "$python" "$here/bench/dreamerv3_reference.py" 24 6 "$updates" 100 | awk '{printf "%s ", $2}'
}

engine_run() {  # COMPUTE: the graph's compute dtype
  # prefill 1024 agent steps (3 episodes), then one update per 2 agent steps
  "$engine" run "$here/graphs/dreamerv3_state.json" --threads "$threads" --run-dir "$tmp/run" --trace "$tmp/trace.json" \
    --set vars.train_steps=$((1024 + 2 * updates)) --set vars.eval_every=1000000 --set vars.compute="$1" >"$tmp/run.log" 2>&1 \
    || { cat "$tmp/run.log" >&2; exit 1; }
  python3 - "$tmp/trace.json" <<'PY'
import json, sys
nodes = json.load(open(sys.argv[1]))["nodes"]
model = {"batch", "embed", "init", "init_s", "observe", "feat", "recon", "obs_nll", "reward_head", "reward_nll",
         "cont_head", "cont_logits", "cont_target", "cont_nll", "kl", "model_loss", "model_step"}
wm = behaviour = policy = 0.0
calls = 0
for n in nodes:
    flow, _, name = n["node"].partition("/")
    if flow == "train":
        calls = max(calls, n["calls"])
        if name in model:
            wm += n["total_ms"]
        else:
            behaviour += n["total_ms"]
    elif flow == "collect_step" and name not in ("env", "store"):
        policy += n["mean_ms"]
print("%.1f %.1f %.2f" % (wm / calls, behaviour / calls, policy), end=" ")
PY
  rm -rf "$tmp/run"
}

for r in $(seq "$rounds"); do
  case $((r % 3)) in  # rotate which goes first
    1) ref=$(reference); eng=$(engine_run float32); bf=$(engine_run bfloat16) ;;
    2) eng=$(engine_run float32); bf=$(engine_run bfloat16); ref=$(reference) ;;
    0) bf=$(engine_run bfloat16); ref=$(reference); eng=$(engine_run float32) ;;
  esac
  echo "$ref" >>"$tmp/ref.txt"
  echo "$eng" >>"$tmp/eng.txt"
  echo "$bf" >>"$tmp/bf.txt"
  echo "round $r: reference $ref| engine $eng| engine bf16 $bf(world model ms/update, imagination+actor+critic ms/update, policy ms/step)"
done
python3 - "$tmp/ref.txt" "$tmp/eng.txt" "$tmp/bf.txt" "$threads" <<'PY'
import statistics, sys
ref, eng, bf = ([list(map(float, l.split())) for l in open(f)] for f in sys.argv[1:4])
public = (1899.0, 9874.0, 6.7)
names = ("world-model step B16 x T64", "imagination + actor + critic, 1024 starts, H 15", "policy step, batch 1")
print(f"medians over {len(eng)} rounds, {sys.argv[4]} thread(s):")
for i, (name, pub) in enumerate(zip(names, public)):
    r = statistics.median(x[i] for x in ref)
    print(f"  {name}: reference {r:.1f} ms (public port per issue #16: {pub} ms)")
    for label, runs in (("float32", eng), ("bfloat16", bf)):
        e = statistics.median(x[i] for x in runs)
        print(f"    engine {label}: {e:.1f} ms, ratio to the reference {e / r:.2f}, to the public port {e / pub:.2f}")
PY
