// lf::Linear: torch::nn::Linear (same options, parameters and checkpoint names) that computes
// inputs of at most kVectorRows rows as one matrix-vector product per row.
//
// Why: OpenBLAS 0.3.21 (Debian 12) packs the whole weight matrix on every sgemm, so acting at
// batch 1 pays for a GEMM sized for training: a 1024 -> 1024 layer takes ~0.7 ms as at::linear
// and ~0.06 ms as at::addmv on one core (measured on this project's machine; 4 rows: 0.74 vs
// 0.24 ms). Larger batches keep at::linear. Plugins build their layers with it:
//
//   net->push_back("fc0", lf::Linear(in, hidden));   // torch::nn::LinearOptions work as well
#pragma once

#include <ATen/ATen.h>
#include <torch/nn/modules/linear.h>

#include <vector>

namespace lf {

inline constexpr int64_t kVectorRows = 4;

// y = x W^T + b over the last dimension of x (b may be undefined), as at::linear.
inline at::Tensor linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
  const int64_t in = w.size(1);
  if (x.dim() == 0 || x.size(-1) != in || x.numel() > kVectorRows * in || x.numel() == 0 ||
      x.scalar_type() != w.scalar_type())
    return at::linear(x, w, b);  // also reports shape and dtype errors as torch does
  auto out_shape = x.sizes().vec();
  out_shape.back() = w.size(0);
  const auto rows = x.reshape({-1, in});
  auto row = [&](int64_t i) { return b.defined() ? at::addmv(b, w, rows[i]) : at::mv(w, rows[i]); };
  if (rows.size(0) == 1) return row(0).reshape(out_shape);
  std::vector<at::Tensor> ys;
  for (int64_t i = 0; i < rows.size(0); ++i) ys.push_back(row(i));
  return at::stack(ys).reshape(out_shape);
}

class LinearImpl : public torch::nn::LinearImpl {
 public:
  using torch::nn::LinearImpl::LinearImpl;
  at::Tensor forward(const at::Tensor& x) { return linear(x, weight, bias); }
};
TORCH_MODULE(Linear);

}  // namespace lf
