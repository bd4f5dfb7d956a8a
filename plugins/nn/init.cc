#include "init.h"

#include <ATen/ATen.h>

namespace lf_nn {

void truncated_normal_(at::Tensor& w, double std) {
  at::NoGradGuard no_grad;
  w.normal_(0.0, std).clamp_(-2.0, 2.0);
}

}  // namespace lf_nn
