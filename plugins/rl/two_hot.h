// Discrete regression as TD-MPC2 does it (nicklashansen/tdmpc2 common/math.py): a scalar is
// squashed by symlog, clamped to [low, high] and spread over `bins` evenly spaced bins as a
// two-hot vector; a vector of logits decodes to symexp of the softmax-expected bin. Shared by the
// rl nodes that read or train two-hot heads (rl.two_hot_decode, rl.tdmpc2_loss). DreamerV3's
// variant (bins spaced by symexp, two-hot weights in the untransformed space) is not this.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

namespace lf::rl {

struct TwoHotBins {
  int64_t bins = 101;
  double low = -10, high = 10;
};

at::Tensor symlog(const at::Tensor& x);
at::Tensor symexp(const at::Tensor& x);
// [...] -> [..., bins], rows summing to 1.
at::Tensor two_hot(const at::Tensor& x, const TwoHotBins& b);
// [..., bins] logits -> [...].
at::Tensor two_hot_decode(const at::Tensor& logits, const TwoHotBins& b);
// Cross-entropy of logits [..., bins] against the two-hot encoding of targets [...] -> [...].
at::Tensor two_hot_cross_entropy(const at::Tensor& logits, const at::Tensor& target, const TwoHotBins& b);

}  // namespace lf::rl
