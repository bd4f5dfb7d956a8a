// nn.gru_cell: one step of a gated recurrent unit, h_next = GRU(x, h).
//
// Named Inputs:
//   x  f32 [B, in_dim]   this step's input
//   h  f32 [B, hidden]   the carried state
// Named Outputs:
//   h_next  f32 [B, hidden]
// Parameters:
//   in_dim  int >= 1, required   input width
//   hidden  int >= 1, required   state width
//
// Usage in a graph file (PlaNet/Dreamer's deterministic path, 200 units):
//   "blocks": { "cell": { "type": "nn.gru_cell", "in_dim": 200, "hidden": 200 } }
//
// Faithfulness: the standard GRU (Cho et al. 2014) as torch::nn::GRUCell computes it, the cell
// PlaNet and Dreamer use for the RSSM's deterministic state. torch applies the reset gate after the
// recurrent matmul (cuDNN form) where TensorFlow 1's GRUCell applies it before; both are standard GRUs
// of equal capacity. DreamerV2/V3's layer-normalised GRU is not this node.
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema GruCellSchema();
std::unique_ptr<lf::Node> MakeGruCell(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
