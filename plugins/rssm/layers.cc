#include "layers.h"

#include <stdexcept>

#include <ATen/ATen.h>
#include <torch/nn/init.h>

namespace lf::rssm {

Act parse_act(const std::string& name) {
  if (name == "elu") return Act::Elu;
  if (name == "relu") return Act::Relu;
  if (name == "silu") return Act::Silu;
  throw std::invalid_argument("unknown activation '" + name + "' (choices: elu, relu, silu)");
}

at::Tensor activate(const at::Tensor& x, Act act) {
  switch (act) {
    case Act::Elu: return at::elu(x);
    case Act::Relu: return at::relu(x);
    default: return at::silu(x);
  }
}

at::Tensor concat_inputs(CallContext& ctx, size_t n) {
  std::vector<at::Tensor> parts;
  for (size_t i = 0; i < n; ++i) parts.push_back(ctx.in(i));
  return n == 1 ? parts[0] : at::cat(parts, -1);
}

void init_linear(lf::Linear& layer) {
  torch::nn::init::xavier_uniform_(layer->weight);
  torch::nn::init::zeros_(layer->bias);
}

GaussianHeadImpl::GaussianHeadImpl(int64_t in, int64_t hidden, int64_t stoch) {
  hidden_layer = register_module("hidden", lf::Linear(in, hidden));
  out_layer = register_module("out", lf::Linear(hidden, 2 * stoch));
  init_linear(hidden_layer);
  init_linear(out_layer);
}

GaussianOut run_head(GaussianHead& head, const at::Tensor& x, Act act, double min_std, bool sample,
                     NodeRandom& rng) {
  auto stats = head->out_layer(activate(head->hidden_layer(x), act)).chunk(2, -1);
  GaussianOut out{stats[0], at::softplus(stats[1]) + min_std, {}};
  if (!sample) {
    out.sample = out.mean;
    return out;
  }
  out.sample = out.mean + out.std * rng.normal(out.mean.sizes(), out.mean);
  return out;
}

HeadNode::HeadNode(size_t n_inputs, int64_t in, const Params& p, uint64_t seed)
    : n_inputs_(n_inputs),
      head_(in, p.i("hidden"), p.i("stoch")),
      act_(parse_act(p.s("act"))),
      min_std_(p.f("min_std")),
      sample_(p.b("sample")),
      rng_(seed) {}

void HeadNode::run(CallContext& ctx) {
  auto out = run_head(head_, concat_inputs(ctx, n_inputs_), act_, min_std_, sample_, rng_);
  ctx.set(0, out.mean);
  ctx.set(1, out.std);
  ctx.set(2, out.sample);
}

}  // namespace lf::rssm
