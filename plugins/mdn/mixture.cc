#include "mixture.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

namespace lf::mdn {

at::Tensor mixture_log_prob(const at::Tensor& logit_pi, const at::Tensor& mu, const at::Tensor& log_sigma,
                            const at::Tensor& y) {
  static const double kHalfLog2Pi = 0.5 * std::log(2.0 * M_PI);
  auto u = (y.unsqueeze(-1) - mu) * at::exp(-log_sigma);
  auto log_normal = -0.5 * u * u - log_sigma - kHalfLog2Pi;
  return at::logsumexp(at::log_softmax(logit_pi, -1) + log_normal, -1);
}

void check_mixture_shapes(const char* node, const at::Tensor& logit_pi, const at::Tensor& mu,
                          const at::Tensor& log_sigma, const at::Tensor& y) {
  auto fail = [&](const std::string& what) { throw std::invalid_argument(std::string(node) + ": " + what); };
  if (logit_pi.dim() < 2) fail("logit_pi must be [..., z, K]");
  if (!mu.sizes().equals(logit_pi.sizes()) || !log_sigma.sizes().equals(logit_pi.sizes()))
    fail("logit_pi, mu and log_sigma must have the same shape [..., z, K]");
  if (y.defined() && !y.sizes().equals(logit_pi.sizes().slice(0, logit_pi.dim() - 1)))
    fail("target must be [..., z], the shape of logit_pi without its last dim");
}

}  // namespace lf::mdn
