// Weight initializations shared by the nn nodes beyond torch's defaults.
#pragma once

#include <ATen/core/Tensor.h>

namespace lf_nn {

// TD-MPC2's `weight_init` for linears: N(0, std) truncated to [-2, 2] (torch.nn.init.trunc_normal_'s
// absolute bounds: at std 0.02 a draw is never cut), drawn from torch's generator, which the engine
// seeds per block.
void truncated_normal_(at::Tensor& w, double std = 0.02);

}  // namespace lf_nn
