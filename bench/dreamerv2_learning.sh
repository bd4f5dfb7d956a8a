#!/usr/bin/env bash
# DreamerV2's learning benchmark: graphs/dreamerv2_state.json (the authors' dmc_proprio settings:
# one update of 16 x 50 every 5 agent steps) on a task preset (cartpole_swingup unless the
# arguments name another), evaluated every 5000 env steps, for a wall-clock budget; then the return
# curve as CSV and PNG next to the run and the last evaluations as a ratio to the random policy's
# return measured in the same run (the prefill episodes). Usage: see bench/learning_run.sh.
graph=graphs/dreamerv2_state.json
title="DreamerV2 from states (LatentFlow, CPU)"
random=prefill
dir=runs/bench-dreamerv2-state
sets=(vars.eval_every=2500)
collected="the actor's samples"
source "$(dirname "$0")/learning_run.sh"
