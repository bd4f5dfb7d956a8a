// es.linear_controller: World Models' controller C, a single linear layer with tanh, whose
// parameters are one flat vector per row (a CMA-ES candidate), so that a whole population of
// controllers acts in one batched call:
//
//   b_n = params[n, 0:A],  W_n = params[n, A:].view(in_dim, A)   (row-major: W_n[i, a])
//   action[n] = tanh(x[n] W_n + b_n)                              in [-1, 1]^A
//
// Named Inputs:
//   params  [N, dim]          one controller per row; dim = (in_dim + 1) * action_size
//   x       [N, in_dim]       the features row n's controller sees (World Models: [z_t, h_t];
//                             graphs/world_models.json passes rssm.features' [h_t, z_t], which
//                             only permutes the rows of W)
// Named Outputs:
//   action  [N, action_size]  tanh(x W + b), in [-1, 1] (the dm_control envs' action bounds);
//                             differentiable in params and x
// Parameters:
//   in_dim       int >= 1, required   features per row
//   action_size  int >= 1, required   actions per row
// Stateless. params and x must agree in N (no broadcasting: repeat a single controller with
// es.repeat_rows); a params row of another size than (in_dim + 1) * action_size is an error.
//
// Usage in a graph file (World Models on a 1-D action: z 32, LSTM 256 -> dim (288 + 1) * 1 = 289):
//   "blocks": { "controller": { "type": "es.linear_controller", "in_dim": 288, "action_size": 1 } }
//   "act": { "block": "controller", "inputs": { "params": "$params", "x": "feat.features" } }
//
// Faithfulness: World Models (Ha & Schmidhuber 2018), carracing/model.py in the authors'
// WorldModelsExperiments, mode MODE_ZH: action = tanh(h W + b) on the features [z, h], and
// set_model_params lays the flat vector out as the bias first (action_size values), then the
// weight reshaped row-major to [input_size, action_size]; that layout is kept here, so a
// parameter vector from the reference code means the same controller. The reference then maps
// CarRacing's gas to (a + 1) / 2 and clips its brake to [0, 1]; those env-specific maps are left
// out: the dm_control tasks here take actions in [-1, 1] directly. The reference's controller
// acts one env at a time; here a batch of N controllers (the population x its rollouts) acts at
// once, row n using params row n.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::es {

NodeSchema LinearControllerSchema();
std::unique_ptr<Node> MakeLinearController(const Params& p, BuildContext& ctx);

}  // namespace lf::es
