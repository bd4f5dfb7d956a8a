#include "two_hot.h"

#include <ATen/ATen.h>

namespace lf::rl {

at::Tensor symlog(const at::Tensor& x) { return at::sign(x) * at::log1p(x.abs()); }
at::Tensor symexp(const at::Tensor& x) { return at::sign(x) * at::expm1(x.abs()); }

at::Tensor two_hot(const at::Tensor& x, const TwoHotBins& b) {
  const double size = (b.high - b.low) / static_cast<double>(b.bins - 1);
  const auto pos = (symlog(x).clamp(b.low, b.high) - b.low) / size;
  const auto index = pos.floor();
  const auto offset = (pos - index).unsqueeze(-1);
  const auto lower = index.to(at::kLong).unsqueeze(-1);
  auto out = at::zeros(x.sizes().vec(), x.options()).unsqueeze(-1).repeat_interleave(b.bins, -1);
  out.scatter_(-1, lower, 1 - offset);
  // At the top bin the offset is 0 and the reference wraps the upper index to bin 0 (weight 0).
  out.scatter_add_(-1, (lower + 1).remainder(b.bins), offset);
  return out;
}

at::Tensor two_hot_decode(const at::Tensor& logits, const TwoHotBins& b) {
  const auto centres = at::linspace(b.low, b.high, b.bins, logits.options().requires_grad(false));
  return symexp((logits.softmax(-1) * centres).sum(-1));
}

at::Tensor two_hot_cross_entropy(const at::Tensor& logits, const at::Tensor& target, const TwoHotBins& b) {
  return -(two_hot(target.detach(), b) * logits.log_softmax(-1)).sum(-1);
}

}  // namespace lf::rl
