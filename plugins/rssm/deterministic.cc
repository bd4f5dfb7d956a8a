#include "deterministic.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/modules/rnn.h>

#include "layers.h"

namespace lf::rssm {
namespace {

// DreamerV2's and V3's GRU (dreamerv2 nets.py GRUCell with norm=True): one bias-free dense layer
// on [x, h] to the three gates, LayerNorm over them, the update gate biased by -1.
struct NormGruImpl : torch::nn::Module {
  NormGruImpl(int64_t in, int64_t deter)
      : layer(register_module("layer", lf::Linear(torch::nn::LinearOptions(in + deter, 3 * deter).bias(false)))),
        norm(register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({3 * deter}).eps(1e-3)))) {
    torch::nn::init::xavier_uniform_(layer->weight);
  }
  at::Tensor forward(const at::Tensor& x, const at::Tensor& h) {
    const auto parts = norm(layer(at::cat({x, h}, -1))).chunk(3, -1);
    const auto reset = parts[0].sigmoid(), cand = (reset * parts[1]).tanh(), update = (parts[2] - 1).sigmoid();
    return update * cand + (1 - update) * h;
  }
  lf::Linear layer;
  torch::nn::LayerNorm norm;
};
TORCH_MODULE(NormGru);

struct CellImpl : torch::nn::Module {
  CellImpl(int64_t deter, int64_t stoch, int64_t action, int64_t hidden, bool norm_gru, bool layer_norm)
      : in(register_module("in", lf::Linear(torch::nn::LinearOptions(stoch + action, hidden).bias(!layer_norm)))) {
    if (layer_norm) {
      // DreamerV3's normed input layer: a LayerNorm makes the bias redundant.
      torch::nn::init::xavier_uniform_(in->weight);
      in_norm = register_module("in_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden}).eps(1e-3)));
    } else {
      init_linear(in);
    }
    if (norm_gru) {
      norm_gru_cell = register_module("norm_gru", NormGru(hidden, deter));
      return;
    }
    gru = register_module("gru", torch::nn::GRUCell(hidden, deter));
    torch::nn::init::xavier_uniform_(gru->weight_ih);
    torch::nn::init::orthogonal_(gru->weight_hh);
    torch::nn::init::zeros_(gru->bias_ih);
    torch::nn::init::zeros_(gru->bias_hh);
  }
  at::Tensor step(const at::Tensor& x, const at::Tensor& h) { return gru ? gru(x, h) : norm_gru_cell(x, h); }
  lf::Linear in;
  torch::nn::LayerNorm in_norm{nullptr};  // null without layer_norm
  torch::nn::GRUCell gru{nullptr};
  NormGru norm_gru_cell{nullptr};
};
TORCH_MODULE(Cell);

class Deterministic : public Node {
  enum In { kH, kS, kA };
  enum Out { kHNext };
 public:
  explicit Deterministic(const Params& p)
      : cell_(p.i("deter"), p.i("stoch"), p.i("action_size"), p.i("hidden"), p.s("gru") == "norm", p.b("layer_norm")),
        act_(parse_act(p.s("act"))),
        action_clip_(p.f("action_clip")) {
    lf::set_compute(*cell_, lf::compute_of(p));  // the input layer and the norm GRU; torch's GRUCell stays float32
  }

  void run(CallContext& ctx) override {
    at::Tensor a = ctx.in(kA);
    // DreamerV3: actions beyond the clip are scaled back to it, the factor a constant for autograd.
    if (action_clip_ > 0) a = a * (action_clip_ / at::clamp_min(a.detach().abs(), action_clip_));
    auto x = cell_->in(at::cat({ctx.in(kS), a}, -1));
    if (cell_->in_norm) x = cell_->in_norm(x);
    ctx.set(kHNext, cell_->step(activate(x, act_), ctx.in(kH)));
  }
  torch::nn::Module* module() override { return cell_.get(); }

 private:
  Cell cell_;
  Act act_;
  double action_clip_;
};

}  // namespace

NodeSchema DeterministicSchema() {
  return SchemaBuilder("rssm.deterministic")
      .category("rssm")
      .doc("RSSM deterministic state model: h_t = GRU(act(W [s_{t-1}, a_{t-1}]), h_{t-1})")
      .input("h", {"B", "deter"}, "previous deterministic state")
      .input("s", {"B", "stoch"}, "previous stochastic state")
      .input("a", {"B", "action_size"}, "previous action")
      .output("h_next", {"B", "deter"}, "next deterministic state")
      .param("deter", ParamType::Int, 200, "GRU state size", 1)
      .param("stoch", ParamType::Int, 30, "stochastic state size", 1)
      .param("action_size", ParamType::Int, nullptr, "action size", 1)
      .param("hidden", ParamType::Int, 200, "width of the layer before the GRU", 1)
      .choice("act", {"elu", "relu", "silu"}, "elu", "activation of the input layer (PlaNet: relu, DreamerV3: silu)")
      .choice("gru", {"keras", "norm"}, "keras",
              "keras: Keras' GRUCell (PlaNet, Dreamer); norm: DreamerV2/V3's LayerNorm GRU, update bias -1")
      .param("layer_norm", ParamType::Bool, false, "LayerNorm (eps 1e-3) after the input layer, which has no bias (DreamerV3)")
      .param("action_clip", ParamType::Float, 0.0,
             "> 0: actions scaled by clip / max(clip, |a|) per element, the factor without gradient (DreamerV3: 1)", 0.0)
      .compute()
      .learns()
      .build();
}

std::unique_ptr<Node> MakeDeterministic(const Params& p, BuildContext&) {
  return std::make_unique<Deterministic>(p);
}

}  // namespace lf::rssm
