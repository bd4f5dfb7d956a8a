// rl.random_pair: two members of an ensemble's values chosen at random per call, and their
// minimum and mean (TD-MPC2's Q estimates: the TD target takes the min of two target Qs, the
// policy objective and the planner's terminal value their average).
//
//   (i, j) = the first two of a random permutation of 0..K-1, one draw per call
//   min = minimum(v[i], v[j]),  mean = (v[i] + v[j]) / 2
//
// Named Inputs:
//   values  [K, ...]   K >= 2 (nn.ensemble_mlp's members, decoded)
// Named Outputs:
//   min, mean  [...]
//
// Stateful: its generator (checkpointed).
//
// Usage in a graph file:
//   "q": {"type": "rl.random_pair", "inputs": {"values": "qs_decoded.y"}}
//
// Faithfulness: nicklashansen/tdmpc2 `WorldModel.Q` with return_type 'min' / 'avg' (torch.randperm
// over num_q, the first two; one draw for the whole batch). The reference draws once per Q call:
// a graph that wants min and mean of the same call uses both outputs of one node.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rl {

NodeSchema RandomPairSchema();
std::unique_ptr<Node> MakeRandomPair(const Params& p, BuildContext& ctx);

}  // namespace lf::rl
