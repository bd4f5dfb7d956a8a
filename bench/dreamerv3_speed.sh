#!/usr/bin/env bash
# DreamerV3's update and policy speed at the paper's dmc_proprio sizes (graphs/dreamerv3_state.json
# unchanged: deter 512, 32 x 32 latents, encoder and decoder MLPs 5 x 1024, heads 2 x 512, batch
# 16 x 64, imagination of 15 steps from 1024 start states), measured as users run it: a real
# `engine run` (its allocator and threads), whose per-node times come from --trace. Reported per
# update: the world-model step (the train flow's nodes from the batch to the model's Adam step,
# backward included) and imagination + actor + critic (the rest of the train flow); per agent step:
# the policy at batch 1 (collect_step without the environment and the replay). Each round is a
# fresh process (prefill of 3 random episodes, then UPDATES updates); prints each round and the
# medians, with the ratio to the public PyTorch port's figures the issue (#16) quotes for this
# machine (NM512/dreamerv3-torch, eager, 1 thread: 1899 ms, 9874 ms, 6.7 ms; not re-measured here:
# this machine has no Python torch).
#
#   bench/dreamerv3_speed.sh [ROUNDS] [UPDATES] [THREADS]     (3 rounds, 10 updates, 1 thread)
#   ENGINE=PATH another build
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
engine=${ENGINE:-$here/build/engine/engine}
rounds=${1:-3}
updates=${2:-10}
threads=${3:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for r in $(seq "$rounds"); do
  # prefill 1024 agent steps (3 episodes), then one update per 2 agent steps
  "$engine" run "$here/graphs/dreamerv3_state.json" --threads "$threads" --run-dir "$tmp/run" --trace "$tmp/trace.json" \
    --set vars.train_steps=$((1024 + 2 * (updates - 1))) --set vars.eval_every=1000000 >"$tmp/run.log" 2>&1 \
    || { cat "$tmp/run.log" >&2; exit 1; }
  python3 - "$tmp/trace.json" >>"$tmp/rounds.txt" <<'PY'
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
print("%.1f %.1f %.2f" % (wm / calls, behaviour / calls, policy))
PY
  echo "round $r: $(tail -1 "$tmp/rounds.txt") (world model ms/update, imagination+actor+critic ms/update, policy ms/step)"
  rm -rf "$tmp/run"
done
python3 - "$tmp/rounds.txt" "$threads" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
public = (1899.0, 9874.0, 6.7)
names = ("world-model step B16 x T64", "imagination + actor + critic, 1024 starts, H 15", "policy step, batch 1")
print(f"medians over {len(rows)} rounds, {sys.argv[2]} thread(s):")
for i, (name, pub) in enumerate(zip(names, public)):
    med = statistics.median(r[i] for r in rows)
    print(f"  {name}: {med:.1f} ms; public port (issue #16's figure) {pub} ms; ratio {med / pub:.2f}")
PY
