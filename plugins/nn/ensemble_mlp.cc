#include "ensemble_mlp.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/any.h>

#include "activation.h"
#include "init.h"
#include "latentflow/linear.h"
#include "latentflow/node_random.h"

namespace lf_nn {
namespace {

// Layer i's weights [K, in, out] and bias [K, 1, out], and for hidden layers under layer_norm the
// norm's scale and offset [K, 1, out].
struct EnsembleImpl : torch::nn::Module {
  std::vector<at::Tensor> weight, bias, norm_scale, norm_offset;
};

class EnsembleMlp final : public lf::Node {
  enum In { kX };
  enum Out { kY };

 public:
  EnsembleMlp(const lf::Params& p, lf::BuildContext& ctx)
      : rng_(ctx.seed()),
        members_(p.i("members")),
        dropout_(p.f("dropout")),
        layer_norm_(p.b("layer_norm")),
        compute_(lf::compute_of(p)),
        act_(make_activation(p.s("activation"))) {
    if (!(dropout_ < 1.0)) throw std::invalid_argument("nn.ensemble_mlp: dropout must be below 1");
    std::vector<int64_t> widths{p.i("in_dim")};
    for (int64_t h : p.ints("hidden")) widths.push_back(h);
    widths.push_back(p.i("out_dim"));
    at::NoGradGuard no_grad;
    for (size_t i = 0; i + 1 < widths.size(); ++i) {
      const int64_t in = widths[i], out = widths[i + 1];
      const auto n = std::to_string(i);
      at::Tensor w = at::empty({members_, in, out}), b = at::zeros({members_, 1, out});
      if (p.s("init") == "trunc_normal") {
        truncated_normal_(w);
      } else {  // nn.Linear's default: U(-1/sqrt(in), 1/sqrt(in)) for weights and biases
        const double bound = 1.0 / std::sqrt(static_cast<double>(in));
        w.uniform_(-bound, bound);
        b.uniform_(-bound, bound);
      }
      if (i + 2 == widths.size() && p.b("zero_out")) w.zero_();
      net_->weight.push_back(net_->register_parameter("w" + n, w));
      net_->bias.push_back(net_->register_parameter("b" + n, b));
      if (layer_norm_ && i + 2 < widths.size()) {
        net_->norm_scale.push_back(net_->register_parameter("norm" + n + "_scale", at::ones({members_, 1, out})));
        net_->norm_offset.push_back(net_->register_parameter("norm" + n + "_offset", at::zeros({members_, 1, out})));
      }
    }
  }

  void run(lf::CallContext& ctx) override {
    const at::Tensor& x = ctx.in(kX);
    auto lead = x.sizes().vec();
    lead.pop_back();
    at::Tensor h = x.reshape({1, -1, x.size(-1)});
    const size_t layers = net_->weight.size();
    for (size_t i = 0; i < layers; ++i) {
      h = lf::matmul(h, net_->weight[i], compute_) + net_->bias[i];  // [K, N, out]
      if (i + 1 == layers) break;
      if (i == 0 && dropout_ > 0 && c10::GradMode::is_enabled())
        h = h * (rng_.uniform(h.sizes(), h) >= dropout_).to(h.dtype()) / (1.0 - dropout_);
      if (layer_norm_)
        h = at::layer_norm(h, {h.size(-1)}) * net_->norm_scale[i] + net_->norm_offset[i];
      h = act_.forward(h);
    }
    lead.insert(lead.begin(), members_);
    lead.push_back(h.size(-1));
    ctx.set(kY, h.view(lead));
  }

  torch::nn::Module* module() override { return net_.get(); }
  void save_state(lf::TensorDict& out) const override { rng_.save(out); }
  void load_state(const lf::TensorDict& in) override { rng_.load(in); }

 private:
  lf::NodeRandom rng_;
  int64_t members_;
  double dropout_;
  bool layer_norm_;
  at::ScalarType compute_;
  torch::nn::AnyModule act_;
  std::shared_ptr<EnsembleImpl> net_ = std::make_shared<EnsembleImpl>();
};

}  // namespace

lf::NodeSchema EnsembleMlpSchema() {
  return lf::SchemaBuilder("nn.ensemble_mlp")
      .category("nn")
      .doc("K MLPs of one layout over the same input as batched matmuls (TD-MPC2's Q ensemble)")
      .input("x", {"...", "in_dim"}, "input features")
      .output("y", {"members", "...", "out_dim"}, "each member's output")
      .param("members", lf::ParamType::Int, nullptr, "ensemble size K", 1)
      .param("in_dim", lf::ParamType::Int, nullptr, "input width", 1)
      .param("out_dim", lf::ParamType::Int, nullptr, "output width", 1)
      .param("hidden", lf::ParamType::IntList, {512, 512}, "hidden layer widths", 1)
      .choice("activation", {"relu", "elu", "silu", "tanh", "mish"}, "mish", "hidden activation")
      .param("layer_norm", lf::ParamType::Bool, true, "LayerNorm before each hidden activation")
      .param("dropout", lf::ParamType::Float, 0.0, "dropout on the first hidden layer in training calls", 0.0, 1.0)
      .choice("init", {"torch", "trunc_normal"}, "trunc_normal", "weight init")
      .param("zero_out", lf::ParamType::Bool, false, "start the output layer's weights at zero")
      .compute()
      .learns()
      .stateful()
      .build();
}

std::unique_ptr<lf::Node> MakeEnsembleMlp(const lf::Params& p, lf::BuildContext& ctx) {
  return std::make_unique<EnsembleMlp>(p, ctx);
}

}  // namespace lf_nn
