#include "categorical_head.h"

#include <ATen/ATen.h>

namespace lf::rssm {

CategoricalHeadImpl::CategoricalHeadImpl(int64_t in, int64_t hidden, int64_t latents, bool layer_norm) {
  // With a LayerNorm after it the hidden layer's bias is redundant (DreamerV3 drops it).
  hidden_layer = register_module("hidden", lf::Linear(torch::nn::LinearOptions(in, hidden).bias(!layer_norm)));
  out_layer = register_module("out", lf::Linear(hidden, latents));
  torch::nn::init::xavier_uniform_(hidden_layer->weight);
  if (!layer_norm) torch::nn::init::zeros_(hidden_layer->bias);
  init_linear(out_layer);
  if (layer_norm) norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden}).eps(1e-3)));
}

CategoricalNode::CategoricalNode(size_t n_inputs, int64_t in, const Params& p, uint64_t seed)
    : n_inputs_(n_inputs),
      stoch_(p.i("stoch")),
      classes_(p.i("classes")),
      head_(in, p.i("hidden"), p.i("stoch") * p.i("classes"), p.b("layer_norm")),
      act_(parse_act(p.s("act"))),
      unimix_(p.f("unimix")),
      sample_(p.b("sample")),
      rng_(seed) {
  lf::set_compute(*head_, lf::compute_of(p));
}

void CategoricalNode::run(CallContext& ctx) {
  at::Tensor x = head_->hidden_layer(concat_inputs(ctx, n_inputs_));
  if (head_->norm) x = head_->norm(x);
  x = head_->out_layer(activate(x, act_));
  std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end() - 1);
  shape.push_back(stoch_);
  shape.push_back(classes_);
  at::Tensor probs = x.view(shape).softmax(-1);
  if (unimix_ > 0) probs = (1 - unimix_) * probs + unimix_ / static_cast<double>(classes_);
  at::Tensor index;
  if (sample_) {
    // Inverse CDF: the first class whose cumulative probability exceeds a uniform draw.
    std::vector<int64_t> draw_shape = shape;
    draw_shape.back() = 1;
    const at::Tensor u = rng_.uniform(draw_shape, probs);
    index = probs.detach().cumsum(-1).lt(u).sum(-1, true).clamp_max(classes_ - 1);
  } else {
    index = probs.detach().argmax(-1, true);
  }
  const auto zeros = at::zeros_like(probs, probs.options().requires_grad(false));
  at::Tensor one_hot = zeros.clone().scatter_(-1, index, 1.0);
  if (sample_) one_hot = one_hot + (probs - probs.detach());  // exactly one-hot in value
  ctx.set(0, probs.log());
  ctx.set(1, one_hot.flatten(-2));
  ctx.set(2, sample_ ? zeros.scatter_(-1, probs.detach().argmax(-1, true), 1.0).flatten(-2) : one_hot.flatten(-2));
}

SchemaBuilder& categorical_params(SchemaBuilder& b) {
  return b.param("stoch", ParamType::Int, 32, "categorical latents", 1)
      .param("classes", ParamType::Int, 32, "classes per latent", 2)
      .param("hidden", ParamType::Int, 200, "width of the hidden layer", 1)
      .choice("act", {"elu", "relu", "silu"}, "elu", "activation of the hidden layer (DreamerV2: elu, DreamerV3: silu)")
      .param("layer_norm", ParamType::Bool, false, "LayerNorm (eps 1e-3) before the activation (DreamerV3)")
      .param("unimix", ParamType::Float, 0.0, "mix this much of the uniform distribution into the probabilities (DreamerV3: 0.01)", 0.0, 1.0)
      .param("sample", ParamType::Bool, true, "false: the most likely class of each latent, without gradient")
      .compute()
      .learns()
      .stateful();
}

}  // namespace lf::rssm
