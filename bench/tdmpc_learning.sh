#!/usr/bin/env bash
# TD-MPC's learning benchmark: graphs/tdmpc.json with the authors' defaults on the task of TASK
# (a preset of the graph, default reacher_easy; its action repeat as cfgs/tasks), evaluated every
# 10k env steps after the first evaluation at 20k (the reference evaluates every 20k; the extra
# points only add evaluations), then the return curve as CSV and PNG next to the run and the
# evaluation returns beside the random policy's (the seed episodes). Compare with
# nicklashansen/tdmpc results/TASK.csv at the same env steps (docs/results.md).
# Usage: see bench/learning_run.sh; e.g. TASK=ball_in_cup_catch bench/tdmpc_learning.sh 120
task=${TASK:-reacher_easy}
graph=graphs/tdmpc.json
title="TD-MPC, $task from states (LatentFlow, CPU)"
random=seed
collected="planned, scheduled exploration std"
dir=runs/bench-tdmpc-$task
sets=(vars.eval_every=10)
[ "${1:-}" = "--report" ] || set -- "${1:-150}" "${2:-$dir}" --preset "$task" "${@:3}"
source "$(dirname "$0")/learning_run.sh"
