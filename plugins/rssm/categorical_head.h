// The categorical heads of DreamerV2's and DreamerV3's RSSM, shared by rssm.categorical_prior and
// rssm.categorical_posterior: x -> Linear(hidden) -> [LayerNorm] -> act -> Linear(stoch * classes)
// -> logits [..., stoch, classes]; with unimix u the probabilities are (1 - u) softmax + u /
// classes and the logits output is their log. The sample is one one-hot class per latent, drawn
// with the node's generator, flattened to [..., stoch * classes], with the straight-through
// gradient of the probabilities (one_hot + probs - sg(probs)); with sample=false it is the most
// likely class, without gradient. The mode output is always the most likely class, without
// gradient.
#pragma once

#include <torch/nn/modules/normalization.h>

#include "latentflow/linear.h"
#include "layers.h"

namespace lf::rssm {

struct CategoricalHeadImpl : torch::nn::Module {
  CategoricalHeadImpl(int64_t in, int64_t hidden, int64_t latents, bool layer_norm);
  lf::Linear hidden_layer{nullptr}, out_layer{nullptr};
  torch::nn::LayerNorm norm{nullptr};  // null without layer_norm
};
TORCH_MODULE(CategoricalHead);

// The first n_inputs inputs are concatenated on the last dim. Outputs: logits, sample, mode.
class CategoricalNode : public Node {
 public:
  CategoricalNode(size_t n_inputs, int64_t in, const Params& p, uint64_t seed);
  void run(CallContext& ctx) override;
  torch::nn::Module* module() override { return head_.get(); }
  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  size_t n_inputs_;
  int64_t stoch_, classes_;
  CategoricalHead head_;
  Act act_;
  double unimix_;
  bool sample_;
  NodeRandom rng_;
};

// The params both heads declare (after their input sizes).
SchemaBuilder& categorical_params(SchemaBuilder& b);

}  // namespace lf::rssm
