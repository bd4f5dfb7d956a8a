// planners.random_action: random actions for the seed episodes that fill the replay buffer before
// any model is trained.
//
//   uniform:   a ~ U(min_action, max_action)                      independently per step
//   brownian:  a = clip(prev + sigma * eps, min_action, max_action),  eps ~ N(0, I)
//
// Named Inputs:
//   prev    [E, A]  the previous action, carried by the program from step to step (its shape gives
//                   the number of envs E and action dims A; uniform mode reads nothing else)
// Named Outputs:
//   action  [E, A]
// Parameters:
//   mode        "uniform" | "brownian", default "uniform"
//   sigma       float >= 0, default 0.1414 (sqrt(1/50))   brownian step std
//   min_action  float, -1;  max_action  float, 1
// Stateful: draws come from the node's own CPU generator, seeded from the block's seed.
//
// Usage in a graph file:
//   "blocks": { "explore": { "type": "planners.random_action", "mode": "brownian" } }
//   "prefill_step": { "nodes": { "rand": { "block": "explore", "inputs": { "prev": "$prev_action" } } },
//                     "outputs": { "action": "rand.action" } }
//
// Faithfulness: uniform is what PlaNet (random_episodes.py: the action space's sample(), 5 seed
// episodes) and Dreamer (its random prefill agent) do. brownian is the Brownian-motion random
// policy a_{t+1} = clip(a_t + sqrt(dt) N(0, 1)) with dt = 1/50 of the widely used PyTorch
// re-implementation of World Models (ctallec/world-models, data/carracing.py,
// sample_continuous_policy), hence sigma = sqrt(1/50). The authors' own extraction script
// (WorldModelsExperiments carracing/extract.py) instead rolls out a controller with random
// weights (stdev U(0, 0.01)), which this node does not reproduce. The re-implementation starts
// each episode's walk from a uniform sample; here the walk starts from the `prev` the program
// carries (whatever it resets it to at an episode's start).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::planners {

NodeSchema RandomActionSchema();
std::unique_ptr<Node> MakeRandomAction(const Params& p, BuildContext& ctx);

}  // namespace lf::planners
