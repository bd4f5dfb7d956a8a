#include "initial_state.h"

#include <stdexcept>

#include <ATen/ATen.h>

namespace lf::rssm {
namespace {

class InitialState : public Node {
  enum In { kLike };
  enum Out { kH, kS };
 public:
  explicit InitialState(const Params& p) : deter_(p.i("deter")), stoch_(p.i("stoch")) {}

  void run(CallContext& ctx) override {
    const auto& like = ctx.in(kLike);
    if (like.dim() < 1) throw std::invalid_argument("rssm.initial_state: `like` needs a batch dim");
    auto opts = like.options();
    if (!at::isFloatingType(like.scalar_type())) opts = opts.dtype(at::kFloat);
    ctx.set(kH, at::zeros({like.size(0), deter_}, opts));
    ctx.set(kS, at::zeros({like.size(0), stoch_}, opts));
  }

 private:
  int64_t deter_, stoch_;
};

}  // namespace

NodeSchema InitialStateSchema() {
  return SchemaBuilder("rssm.initial_state")
      .category("rssm")
      .doc("Zero RSSM state (h, s) for a batch, on the device of `like`")
      .input("like", {"B", "..."}, "any tensor whose first dim is the batch", DType::Any)
      .output("h", {"B", "deter"}, "zeros")
      .output("s", {"B", "stoch"}, "zeros")
      .param("deter", ParamType::Int, 200, "deterministic state size", 1)
      .param("stoch", ParamType::Int, 30, "stochastic state size", 1)
      .build();
}

std::unique_ptr<Node> MakeInitialState(const Params& p, BuildContext&) {
  return std::make_unique<InitialState>(p);
}

}  // namespace lf::rssm
