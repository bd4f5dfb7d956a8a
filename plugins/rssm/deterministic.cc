#include "deterministic.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/rnn.h>

#include "layers.h"

namespace lf::rssm {
namespace {

struct CellImpl : torch::nn::Module {
  CellImpl(int64_t deter, int64_t stoch, int64_t action, int64_t hidden)
      : in(register_module("in", torch::nn::Linear(stoch + action, hidden))),
        gru(register_module("gru", torch::nn::GRUCell(hidden, deter))) {
    init_linear(in);
    torch::nn::init::xavier_uniform_(gru->weight_ih);
    torch::nn::init::orthogonal_(gru->weight_hh);
    torch::nn::init::zeros_(gru->bias_ih);
    torch::nn::init::zeros_(gru->bias_hh);
  }
  torch::nn::Linear in;
  torch::nn::GRUCell gru;
};
TORCH_MODULE(Cell);

class Deterministic : public Node {
  enum In { kH, kS, kA };
  enum Out { kHNext };
 public:
  explicit Deterministic(const Params& p)
      : cell_(p.i("deter"), p.i("stoch"), p.i("action_size"), p.i("hidden")), act_(parse_act(p.s("act"))) {}

  void run(CallContext& ctx) override {
    auto x = activate(cell_->in(at::cat({ctx.in(kS), ctx.in(kA)}, -1)), act_);
    ctx.set(kHNext, cell_->gru(x, ctx.in(kH)));
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
      .choice("act", {"elu", "relu"}, "elu", "activation of the input layer (PlaNet: relu)")
      .learns()
      .build();
}

std::unique_ptr<Node> MakeDeterministic(const Params& p, BuildContext&) {
  return std::make_unique<Deterministic>(p);
}

}  // namespace lf::rssm
