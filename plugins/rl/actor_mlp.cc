#include "actor_mlp.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/normalization.h>

#include "latentflow/linear.h"

namespace lf::rl {

torch::nn::Sequential actor_mlp(int64_t in_dim, const std::vector<int64_t>& hidden, const std::string& activation,
                                int64_t action_size, bool layer_norm, at::ScalarType compute) {
  torch::nn::Sequential net;
  int64_t width = in_dim;
  for (size_t i = 0; i < hidden.size(); ++i) {
    const auto n = std::to_string(i);
    net->push_back("fc" + n, lf::Linear(torch::nn::LinearOptions(width, hidden[i]).bias(!layer_norm)));
    if (layer_norm) net->push_back("norm" + n, torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden[i]}).eps(1e-3)));
    if (activation == "elu")
      net->push_back("act" + n, torch::nn::ELU());
    else if (activation == "silu")
      net->push_back("act" + n, torch::nn::SiLU());
    else
      net->push_back("act" + n, torch::nn::ReLU());
    width = hidden[i];
  }
  net->push_back("out", lf::Linear(width, 2 * action_size));
  lf::set_compute(*net, compute);
  return net;
}

}  // namespace lf::rl
