#include "mlp.h"

#include <stdexcept>
#include <string>

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/init.h>
#include <torch/nn/modules/normalization.h>

#include "latentflow/linear.h"
#include "activation.h"
#include "latentflow/symlog.h"
#include "init.h"

namespace lf_nn {
namespace {

class Mlp final : public lf::Node {
  enum In { kX };
  enum Out { kY };
 public:
  explicit Mlp(const lf::Params& p) : symlog_inputs_(p.b("symlog_inputs")) {
    int64_t width = p.i("in_dim");
    const auto hidden = p.ints("hidden");
    const std::string first_act = p.s("first_activation");
    for (size_t i = 0; i < hidden.size(); ++i) {
      const auto n = std::to_string(i);
      net_->push_back("fc" + n, lf::Linear(width, hidden[i]));
      if (p.b("layer_norm") || (i == 0 && p.b("first_layer_norm")))
        net_->push_back("norm" + n, torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden[i]})));
      net_->push_back("act" + n, make_activation(i == 0 && !first_act.empty() ? first_act : p.s("activation")));
      width = hidden[i];
    }
    const int64_t out = p.i("out_dim"), group = p.i("simnorm_dim");
    if (p.s("out_activation") == "simnorm" && out % group != 0)
      throw std::invalid_argument("nn.mlp: out_dim (" + std::to_string(out) + ") must be a multiple of simnorm_dim (" +
                                  std::to_string(group) + ")");
    net_->push_back("out", lf::Linear(width, out));
    if (p.b("out_layer_norm")) net_->push_back("out_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({out})));
    if (p.s("out_activation") != "none") net_->push_back("out_act", make_activation(p.s("out_activation"), group));
    initialize(p.s("init"), p.b("zero_out"));
    lf::set_compute(*net_, lf::compute_of(p));
  }
  void run(lf::CallContext& ctx) override {
    ctx.set(kY, net_->forward(symlog_inputs_ ? lf::symlog(ctx.in(kX)) : ctx.in(kX)));
  }
  torch::nn::Module* module() override { return net_.get(); }

 private:
  // torch's default init unless asked otherwise; the engine seeds torch's generator per block.
  void initialize(const std::string& init, bool zero_out) {
    at::NoGradGuard no_grad;
    for (const auto& item : net_->named_children()) {
      auto* lin = item.value()->as<lf::LinearImpl>();
      if (!lin) continue;
      if (init == "orthogonal") {
        torch::nn::init::orthogonal_(lin->weight);
        lin->bias.zero_();
      } else if (init == "trunc_normal") {
        truncated_normal_(lin->weight);
        lin->bias.zero_();
      }
      if (zero_out && item.key() == "out") {
        lin->weight.zero_();
        lin->bias.zero_();
      }
    }
  }

  bool symlog_inputs_;
  torch::nn::Sequential net_;
};

}  // namespace

lf::NodeSchema MlpSchema() {
  return lf::SchemaBuilder("nn.mlp")
      .category("nn")
      .doc("Multilayer perceptron over the last dim, optional LayerNorm before each hidden activation")
      .input("x", {"...", "in_dim"}, "input features")
      .output("y", {"...", "out_dim"}, "output features")
      .param("in_dim", lf::ParamType::Int, nullptr, "input width", 1)
      .param("out_dim", lf::ParamType::Int, nullptr, "output width", 1)
      .param("hidden", lf::ParamType::IntList, {200, 200}, "hidden layer widths", 1)
      .choice("activation", {"relu", "elu", "silu", "tanh", "mish"}, "elu", "hidden activation")
      .param("layer_norm", lf::ParamType::Bool, false, "LayerNorm between each hidden linear and its activation")
      .param("first_layer_norm", lf::ParamType::Bool, false, "LayerNorm after the first hidden linear only")
      .choice("first_activation", {"", "relu", "elu", "silu", "tanh", "mish"}, "",
              "activation of the first hidden layer (\"\": activation)")
      .choice("init", {"torch", "orthogonal", "trunc_normal"}, "torch",
              "weight init: torch's default, orthogonal or truncated N(0, 0.02), both with zero biases")
      .param("zero_out", lf::ParamType::Bool, false, "start the output layer at zero (weights and bias)")
      .param("symlog_inputs", lf::ParamType::Bool, false, "symlog(x) first (DreamerV3's vector encoder)")
      .param("out_layer_norm", lf::ParamType::Bool, false, "LayerNorm after the output linear, before out_activation")
      .choice("out_activation", {"none", "tanh", "sigmoid", "simnorm", "relu", "elu", "silu", "mish"}, "none",
              "activation of the output")
      .param("simnorm_dim", lf::ParamType::Int, 8, "simnorm's group size (out_dim a multiple of it)", 1)
      .compute()
      .learns()
      .build();
}

std::unique_ptr<lf::Node> MakeMlp(const lf::Params& p, lf::BuildContext&) { return std::make_unique<Mlp>(p); }

}  // namespace lf_nn
