// rssm.initial_state: the zero state an RSSM starts an episode (or a sequence) from.
//
// Named Inputs:
//   like  [B, ...]  any tensor whose first dim is the batch (observations, actions, embeddings)
// Named Outputs:
//   h  [B, deter]  zeros
//   s  [B, stoch]  zeros
// On the device of `like`; in its dtype when that is floating point, else float32 (pixels are
// often uint8).
// Parameters:
//   deter (int, 200), stoch (int, 30)
//
// Usage in a graph file (inline in a flow):
//   "init": { "type": "rssm.initial_state", "deter": 200, "stoch": 30, "inputs": { "like": "$action" } }
//
// Faithfulness:
//   Dreamer models.py `initial` and PlaNet's zero initial state: all zeros, no learned initial
//   state (DreamerV3 learns one; that is a different node).
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rssm {

NodeSchema InitialStateSchema();
std::unique_ptr<Node> MakeInitialState(const Params& p, BuildContext& ctx);

}  // namespace lf::rssm
