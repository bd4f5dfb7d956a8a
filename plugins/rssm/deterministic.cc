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
      : layer(register_module("layer", torch::nn::Linear(torch::nn::LinearOptions(in + deter, 3 * deter).bias(false)))),
        norm(register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({3 * deter}).eps(1e-3)))) {
    torch::nn::init::xavier_uniform_(layer->weight);
  }
  at::Tensor forward(const at::Tensor& x, const at::Tensor& h) {
    const auto parts = norm(layer(at::cat({x, h}, -1))).chunk(3, -1);
    const auto reset = parts[0].sigmoid(), cand = (reset * parts[1]).tanh(), update = (parts[2] - 1).sigmoid();
    return update * cand + (1 - update) * h;
  }
  torch::nn::Linear layer;
  torch::nn::LayerNorm norm;
};
TORCH_MODULE(NormGru);

struct CellImpl : torch::nn::Module {
  CellImpl(int64_t deter, int64_t stoch, int64_t action, int64_t hidden, bool norm_gru)
      : in(register_module("in", torch::nn::Linear(stoch + action, hidden))) {
    init_linear(in);
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
  torch::nn::Linear in;
  torch::nn::GRUCell gru{nullptr};
  NormGru norm_gru_cell{nullptr};
};
TORCH_MODULE(Cell);

class Deterministic : public Node {
  enum In { kH, kS, kA };
  enum Out { kHNext };
 public:
  explicit Deterministic(const Params& p)
      : cell_(p.i("deter"), p.i("stoch"), p.i("action_size"), p.i("hidden"), p.s("gru") == "norm"),
        act_(parse_act(p.s("act"))) {}

  void run(CallContext& ctx) override {
    auto x = activate(cell_->in(at::cat({ctx.in(kS), ctx.in(kA)}, -1)), act_);
    ctx.set(kHNext, cell_->step(x, ctx.in(kH)));
  }
  torch::nn::Module* module() override { return cell_.get(); }

 private:
  Cell cell_;
  Act act_;
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
      .learns()
      .build();
}

std::unique_ptr<Node> MakeDeterministic(const Params& p, BuildContext&) {
  return std::make_unique<Deterministic>(p);
}

}  // namespace lf::rssm
