// Shared math of the mdn nodes: the per-dimension Gaussian mixture log-density, written once so
// that the loss and any evaluation code agree.
#pragma once

#include <ATen/core/Tensor.h>

namespace lf::mdn {

// log p(y) for a mixture over the last dim (K) of logit_pi, mu, log_sigma, with y of shape
// [..., z] broadcast against [..., z, K]:
//   log p(y) = logsumexp_k( log_softmax(logit_pi)_k + log N(y; mu_k, exp(log_sigma_k)) )
// The log-sum-exp is taken through at::logsumexp (max-shifted), so it is stable for any logits
// and for targets far from every component. Returns [..., z].
at::Tensor mixture_log_prob(const at::Tensor& logit_pi, const at::Tensor& mu, const at::Tensor& log_sigma,
                            const at::Tensor& y);

// Throws std::invalid_argument unless logit_pi, mu and log_sigma have one shape [..., z, K] and,
// when y is defined, y has shape [..., z].
void check_mixture_shapes(const char* node, const at::Tensor& logit_pi, const at::Tensor& mu,
                          const at::Tensor& log_sigma, const at::Tensor& y);

}  // namespace lf::mdn
