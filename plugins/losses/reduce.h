// The loss reduction shared by the losses plugin (PlaNet/Dreamer convention): sum over the last
// `event_dims` dims (one event, e.g. an image or a latent vector), mean over every leading dim
// (batch, time). Returns a 0-dim tensor.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

namespace lf::losses {

// Per-event values: the sum over the last `event_dims` dims.
inline at::Tensor sum_events(const at::Tensor& x, int64_t event_dims, const char* node) {
  if (event_dims > x.dim())
    throw std::invalid_argument(std::string(node) + ": event_dims=" + std::to_string(event_dims) +
                                " but the input has only " + std::to_string(x.dim()) + " dims");
  if (event_dims == 0) return x;
  std::vector<int64_t> dims;
  for (int64_t d = x.dim() - event_dims; d < x.dim(); ++d) dims.push_back(d);
  return x.sum(dims);
}

inline at::Tensor reduce_loss(const at::Tensor& x, int64_t event_dims, const char* node) {
  return sum_events(x, event_dims, node).mean();
}

}  // namespace lf::losses
