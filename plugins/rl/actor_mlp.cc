#include "actor_mlp.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/linear.h>

namespace lf::rl {

torch::nn::Sequential actor_mlp(int64_t in_dim, const std::vector<int64_t>& hidden, const std::string& activation,
                                int64_t action_size) {
  torch::nn::Sequential net;
  int64_t width = in_dim;
  for (size_t i = 0; i < hidden.size(); ++i) {
    const auto n = std::to_string(i);
    net->push_back("fc" + n, torch::nn::Linear(width, hidden[i]));
    if (activation == "elu")
      net->push_back("act" + n, torch::nn::ELU());
    else
      net->push_back("act" + n, torch::nn::ReLU());
    width = hidden[i];
  }
  net->push_back("out", torch::nn::Linear(width, 2 * action_size));
  return net;
}

}  // namespace lf::rl
