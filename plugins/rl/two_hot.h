// Discrete regression over `bins` bins, in one of two spacings:
// - symlog (TD-MPC2, nicklashansen/tdmpc2 common/math.py): a scalar is squashed by symlog, clamped
//   to [low, high] and spread over evenly spaced bins as a two-hot vector; logits decode to symexp
//   of the softmax-expected bin.
// - symexp (DreamerV3, danijar/dreamerv3 embodied/jax/heads.py symexp_twohot and outs.TwoHot): the
//   bins are symexp(linspace(low, high, bins)) themselves, mirrored about 0 when low = -high so
//   that they are exactly symmetric; a scalar is two-hot between its neighbouring bins with weights
//   by distance in the untransformed space (beyond the ends: all on the end bin); logits decode to
//   the softmax-expected bin, summed from both ends towards the middle so that uniform logits
//   give exactly 0.
// Shared by the rl nodes that read or train two-hot heads (rl.two_hot_decode, rl.two_hot_loss,
// rl.tdmpc2_loss).
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

#include "latentflow/symlog.h"

namespace lf::rl {

struct TwoHotBins {
  int64_t bins = 101;
  double low = -10, high = 10;
  bool symexp_spacing = false;  // DreamerV3's bins
};

// [...] -> [..., bins], rows summing to 1.
at::Tensor two_hot(const at::Tensor& x, const TwoHotBins& b);
// [..., bins] logits -> [...].
at::Tensor two_hot_decode(const at::Tensor& logits, const TwoHotBins& b);
// Cross-entropy of logits [..., bins] against the two-hot encoding of targets [...] -> [...].
at::Tensor two_hot_cross_entropy(const at::Tensor& logits, const at::Tensor& target, const TwoHotBins& b);

}  // namespace lf::rl
