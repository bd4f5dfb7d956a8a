#!/usr/bin/env bash
# DreamerV3's learning benchmark: graphs/dreamerv3_state.json (the 2023 code's dmc_proprio settings)
# on a task preset (cartpole_swingup unless the arguments name another), evaluated every 5000 env
# steps, for a wall-clock budget; then the return curve as CSV and PNG next to the run and the last
# evaluations as a ratio to the random policy's return measured in the same run (the prefill
# episodes). The paper's train ratio 512 costs ~9 s of update per 2 agent steps on one core here;
# pass e.g. --set vars.train_ratio=32 to fit a budget, and say so. Usage: see bench/learning_run.sh.
graph=graphs/dreamerv3_state.json
title="DreamerV3 from states (LatentFlow, CPU)"
random=prefill
dir=runs/bench-dreamerv3-state
sets=(vars.eval_every=2500)
collected="the actor's samples"
source "$(dirname "$0")/learning_run.sh"
