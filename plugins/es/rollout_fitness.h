// es.rollout_fitness: the fitness of each CMA-ES candidate from the rewards of its R rollouts,
// laid out as es.repeat_rows lays out the controllers (rows k*R .. k*R+R-1 are candidate k's):
//
//   fitness[k] = (1/R) sum_r sum_{t,...} rewards[k*R + r, t, ...]   (the mean return)
//
// Named Inputs:
//   rewards  [P*R, ...]  per-rollout rewards: [P*R, T] per step, or [P*R] returns already summed
// Named Outputs:
//   fitness  [P]         each candidate's mean return over its R rollouts (f32; differentiable,
//                        though es.cmaes reads it as plain numbers)
//   mean_fitness  []     mean of fitness over the P candidates (detached; a metric)
//   max_fitness   []     max of fitness over the P candidates (detached; a metric)
// Parameters:
//   repeats  int >= 1, required   R (the same as es.repeat_rows')
// The number of rows must be a multiple of R (an error names both otherwise).
//
// Usage in a graph file (after a scan that outputs rewards [P*R, T]):
//   "fitness": { "type": "es.rollout_fitness", "repeats": 16, "inputs": { "rewards": "rollouts.reward" } }
//
// Faithfulness: World Models (and estool) ranks a candidate by the mean of its rollouts' total
// rewards (num_episode = 16 for CarRacing); the sum runs over every step the scan produced, so
// steps after an episode's end must carry reward 0 (a scan of exactly one episode's agent steps
// per rollout does).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::es {

NodeSchema RolloutFitnessSchema();
std::unique_ptr<Node> MakeRolloutFitness(const Params& p, BuildContext& ctx);

}  // namespace lf::es
