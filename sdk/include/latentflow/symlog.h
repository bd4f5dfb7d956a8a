// symlog and symexp (Hafner et al. 2023, DreamerV3; TD-MPC2 uses them too): the squashing of
// values of any scale that heads predict and losses compare, shared by the plugins.
//
//   symlog(x) = sign(x) ln(1 + |x|),   symexp(x) = sign(x) (e^|x| - 1),   symexp(symlog(x)) = x
#pragma once

#include <ATen/ATen.h>

namespace lf {

inline at::Tensor symlog(const at::Tensor& x) { return at::sign(x) * at::log1p(x.abs()); }
inline at::Tensor symexp(const at::Tensor& x) { return at::sign(x) * at::expm1(x.abs()); }

}  // namespace lf
