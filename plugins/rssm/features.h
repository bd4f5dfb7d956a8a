// rssm.features: the model state as one feature vector, concat(h, s), for decoders, reward
// heads, actors and critics.
//
// Named Inputs:
//   h  [..., D]  deterministic state
//   s  [..., S]  stochastic state (same leading dims as h)
// Named Outputs:
//   features [..., D+S]  concat(h, s) on the last dim; the load-time shape check sizes it from
//                        the inputs
// Parameters: none.
//
// Usage in a graph file (inline in a flow):
//   "feat": { "type": "rssm.features", "inputs": { "h": "cell.h_next", "s": "post.sample" } }
//
// Faithfulness:
//   PlaNet's features_from_state and Dreamer's get_feat concatenate [stoch, deter] (stochastic
//   first); we put h first. The order only permutes the first layer's input columns of whatever
//   consumes the features, so the model class is the same; weights are not interchangeable with
//   the reference checkpoints.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::rssm {

NodeSchema FeaturesSchema();
std::unique_ptr<Node> MakeFeatures(const Params& p, BuildContext& ctx);

}  // namespace lf::rssm
