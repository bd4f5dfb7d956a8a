#include "two_hot.h"

#include <ATen/ATen.h>

namespace lf::rl {

namespace {

// DreamerV3's bins, [bins], in the untransformed space.
at::Tensor symexp_bins(const TwoHotBins& b, const at::TensorOptions& options) {
  const auto o = options.requires_grad(false);
  if (b.low != -b.high) return symexp(at::linspace(b.low, b.high, b.bins, o));
  if (b.bins % 2 == 1) {
    const auto half = symexp(at::linspace(b.low, 0.0, (b.bins - 1) / 2 + 1, o));
    return at::cat({half, -half.narrow(0, 0, half.size(0) - 1).flip(0)});
  }
  const auto half = symexp(at::linspace(b.low, 0.0, b.bins / 2, o));
  return at::cat({half, -half.flip(0)});
}

at::Tensor two_hot_symexp(const at::Tensor& x, const TwoHotBins& b) {
  const auto bins = symexp_bins(b, x.options());
  const auto t = x.unsqueeze(-1);
  const auto below = (bins.le(t).sum(-1, true) - 1).clamp(0, b.bins - 1);
  const auto above = (b.bins - bins.gt(t).sum(-1, true)).clamp(0, b.bins - 1);
  const auto equal = below.eq(above);
  const auto to_below = at::where(equal, at::ones_like(t), (bins.index({below.squeeze(-1)}).unsqueeze(-1) - t).abs());
  const auto to_above = at::where(equal, at::ones_like(t), (bins.index({above.squeeze(-1)}).unsqueeze(-1) - t).abs());
  const auto total = to_below + to_above;
  auto out = at::zeros(x.sizes().vec(), x.options()).unsqueeze(-1).repeat_interleave(b.bins, -1);
  out.scatter_add_(-1, below, to_above / total);
  out.scatter_add_(-1, above, to_below / total);
  return out;
}

}  // namespace

at::Tensor two_hot(const at::Tensor& x, const TwoHotBins& b) {
  if (b.symexp_spacing) return two_hot_symexp(x, b);
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
  if (b.symexp_spacing) {
    const auto weighted = logits.softmax(-1) * symexp_bins(b, logits.options());
    const int64_t n = b.bins, m = n / 2;
    // From both ends inwards: the terms of mirrored bins cancel exactly where they should.
    const auto lower = weighted.narrow(-1, 0, m).flip(-1), upper = weighted.narrow(-1, n - m, m);
    auto sum = (lower + upper).sum(-1);
    if (n % 2 == 1) sum = sum + weighted.select(-1, m);
    return sum;
  }
  const auto centres = at::linspace(b.low, b.high, b.bins, logits.options().requires_grad(false));
  return symexp((logits.softmax(-1) * centres).sum(-1));
}

at::Tensor two_hot_cross_entropy(const at::Tensor& logits, const at::Tensor& target, const TwoHotBins& b) {
  return -(two_hot(target.detach(), b) * logits.log_softmax(-1)).sum(-1);
}

}  // namespace lf::rl
