#!/usr/bin/env bash
# PlaNet's learning benchmark: graphs/planet_state.json (cartpole swingup from the 5-value state,
# the paper's model, planner and schedule) for a wall-clock budget, then the return curve as CSV
# and PNG next to the run, and the final evaluation return as a ratio to the random policy's
# return measured in the same run (the seed episodes). Usage: see bench/learning_run.sh.
graph=graphs/planet_state.json
title="PlaNet, cartpole swingup from states (LatentFlow, CPU)"
random=seed
dir=runs/bench-planet-state
sets=(vars.eval_every=5)
source "$(dirname "$0")/learning_run.sh"
