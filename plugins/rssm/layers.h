// Shared pieces of the RSSM nodes: the activation choice, TF-like initialization, and the
// Gaussian head used by both the prior and the posterior.
#pragma once

#include <string>

#include "latentflow/node_random.h"

#include "latentflow/node.h"
#include <torch/nn/module.h>

#include "latentflow/linear.h"

namespace lf::rssm {

enum class Act { Elu, Relu, Silu };
Act parse_act(const std::string& name);
at::Tensor activate(const at::Tensor& x, Act act);

// The first n inputs of a call concatenated on the last dim (a head's features: h, or [h, embed]).
at::Tensor concat_inputs(CallContext& ctx, size_t n);

// Keras' Dense default (glorot-uniform kernel, zero bias), which the reference code relies on,
// rather than torch's kaiming-uniform.
void init_linear(lf::Linear& layer);

// x -> act(W1 x) -> [mean, pre-std] -> std = softplus(pre-std) + min_std.
struct GaussianHeadImpl : torch::nn::Module {
  GaussianHeadImpl(int64_t in, int64_t hidden, int64_t stoch);
  lf::Linear hidden_layer{nullptr}, out_layer{nullptr};
};
TORCH_MODULE(GaussianHead);

struct GaussianOut {
  at::Tensor mean, std, sample;
};

// Runs the head; the sample is mean + std * eps with eps drawn from `rng` (reparameterized, so
// gradients reach mean and std), or the mean itself when `sample` is false.
GaussianOut run_head(GaussianHead& head, const at::Tensor& x, Act act, double min_std, bool sample,
                     NodeRandom& rng);

// The prior and posterior nodes: the first n_inputs inputs are concatenated on the last dim
// (in features) and fed to one head.
// Outputs in schema order: mean, std, sample. The generator is seeded from the block's seed.
class HeadNode : public Node {
 public:
  HeadNode(size_t n_inputs, int64_t in, const Params& p, uint64_t seed);
  void run(CallContext& ctx) override;
  torch::nn::Module* module() override { return head_.get(); }
  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  size_t n_inputs_;
  GaussianHead head_;
  Act act_;
  double min_std_;
  bool sample_;
  NodeRandom rng_;
};

}  // namespace lf::rssm
