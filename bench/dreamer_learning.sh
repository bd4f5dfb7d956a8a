#!/usr/bin/env bash
# Dreamer's learning benchmark: graphs/dreamer_state.json (pendulum swingup from the 3-value state,
# the authors' model, behaviour learning and schedule: 100 updates per 1000 env steps) for a
# wall-clock budget, evaluated every 5000 env steps, then the return curve as CSV and PNG next to the
# run, and the final evaluation return as a ratio to the random policy's return measured in the same
# run (the prefill episodes). Usage: see bench/learning_run.sh.
graph=graphs/dreamer_state.json
title="Dreamer, pendulum swingup from states (LatentFlow, CPU)"
random=prefill
dir=runs/bench-dreamer-state
sets=(vars.eval_every=5)
source "$(dirname "$0")/learning_run.sh"
