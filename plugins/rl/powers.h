// base^t for t = 0 .. n-1, without gradient: the temporal weights rho^t of TD-MPC's and TD-MPC2's
// losses over a horizon and the discounts gamma^t of imagined returns.
#pragma once

#include <cstdint>

#include <ATen/ATen.h>

namespace lf::rl {

inline at::Tensor powers(double base, int64_t n, const at::Tensor& like) {
  return at::pow(base, at::arange(n, like.options().requires_grad(false)));
}

}  // namespace lf::rl
