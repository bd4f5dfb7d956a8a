// lf::Linear: torch::nn::Linear (same options, parameters and checkpoint names) that computes
// inputs of at most kVectorRows rows as one matrix-vector product per row, and larger ones in the
// layer's compute dtype.
//
// Why: OpenBLAS 0.3.21 (Debian 12) packs the whole weight matrix on every sgemm, so acting at
// batch 1 pays for a GEMM sized for training: a 1024 -> 1024 layer takes ~0.7 ms as at::linear
// and ~0.06 ms as at::addmv on one core (measured on this project's machine; 4 rows: 0.74 vs
// 0.24 ms). Larger batches keep at::linear. Plugins build their layers with it:
//
//   net->push_back("fc0", lf::Linear(in, hidden));   // torch::nn::LinearOptions work as well
//   lf::set_compute(*net, lf::compute_of(params));    // the node's "compute" param
//
// Compute dtype "bfloat16" (SchemaBuilder::compute()): the matrix product of a float32 layer
// runs on bfloat16 copies of its input and weight (float32 accumulation in oneDNN) and returns
// float32; the weights, the bias, the gradients' destination and everything around the product
// stay float32. This CPU's AVX-512 BF16 runs these products 2-4x faster than OpenBLAS' sgemm
// (1 thread); the price is bfloat16's 8-bit mantissa in the products' operands.
#pragma once

#include <ATen/ATen.h>
#include <torch/nn/modules/linear.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "latentflow/params.h"

namespace lf {

inline constexpr int64_t kVectorRows = 4;

// Whether a product of a and b runs in bfloat16: asked for, and both operands float32.
inline bool in_bfloat16(at::ScalarType compute, const at::Tensor& a, const at::Tensor& b) {
  return compute == at::kBFloat16 && a.scalar_type() == at::kFloat && b.scalar_type() == at::kFloat;
}

// a @ b, in the compute dtype.
inline at::Tensor matmul(const at::Tensor& a, const at::Tensor& b, at::ScalarType compute = at::kFloat) {
  if (in_bfloat16(compute, a, b)) return at::matmul(a.to(at::kBFloat16), b.to(at::kBFloat16)).to(at::kFloat);
  return at::matmul(a, b);
}

// y = x W^T + b over the last dimension of x (b may be undefined), as at::linear.
inline at::Tensor linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b,
                         at::ScalarType compute = at::kFloat) {
  const int64_t in = w.size(1);
  if (x.dim() == 0 || x.size(-1) != in || x.scalar_type() != w.scalar_type())
    return at::linear(x, w, b);  // reports the shape or dtype error as torch does
  if (x.numel() > 0 && x.numel() <= kVectorRows * in) {
    auto out_shape = x.sizes().vec();
    out_shape.back() = w.size(0);
    const auto rows = x.reshape({-1, in});
    auto row = [&](int64_t i) { return b.defined() ? at::addmv(b, w, rows[i]) : at::mv(w, rows[i]); };
    if (rows.size(0) == 1) return row(0).reshape(out_shape);
    std::vector<at::Tensor> ys;
    for (int64_t i = 0; i < rows.size(0); ++i) ys.push_back(row(i));
    return at::stack(ys).reshape(out_shape);
  }
  if (in_bfloat16(compute, x, w)) {
    auto y = at::linear(x.to(at::kBFloat16), w.to(at::kBFloat16)).to(at::kFloat);
    return b.defined() ? y + b : y;
  }
  return at::linear(x, w, b);
}

class LinearImpl : public torch::nn::LinearImpl {
 public:
  using torch::nn::LinearImpl::LinearImpl;
  at::Tensor forward(const at::Tensor& x) { return linear(x, weight, bias, compute_); }
  void set_compute(at::ScalarType compute) { compute_ = compute; }

 private:
  at::ScalarType compute_ = at::kFloat;
};
TORCH_MODULE(Linear);

// The "compute" param of a node (SchemaBuilder::compute()): float32 or bfloat16.
inline at::ScalarType compute_of(const Params& p) {
  const std::string c = p.s("compute");
  if (c == "float32") return at::kFloat;
  if (c == "bfloat16") return at::kBFloat16;
  throw std::invalid_argument("compute: expected \"float32\" or \"bfloat16\", got \"" + c + "\"");
}

// Sets the compute dtype of every lf::Linear in a module tree.
inline void set_compute(torch::nn::Module& m, at::ScalarType compute) {
  if (auto* lin = m.as<LinearImpl>()) lin->set_compute(compute);
  for (const auto& sub : m.modules(/*include_self=*/false))
    if (auto* lin = sub->as<LinearImpl>()) lin->set_compute(compute);
}

}  // namespace lf
