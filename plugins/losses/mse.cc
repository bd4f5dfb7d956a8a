#include "mse.h"

#include "latentflow/symlog.h"
#include "reduce.h"

namespace lf::losses {
namespace {

class Mse : public Node {
  enum In { kPred, kTarget };
  enum Out { kLoss };
 public:
  explicit Mse(const Params& p) : event_dims_(p.i("event_dims")), symlog_(p.b("symlog")) {}
  void run(CallContext& ctx) override {
    const at::Tensor& t = ctx.in(kTarget);
    auto err = (ctx.in(kPred) - (symlog_ ? symlog(t) : t)).square();
    ctx.set(kLoss, reduce_loss(err, event_dims_, "losses.mse"));
  }

 private:
  int64_t event_dims_;
  bool symlog_;
};

}  // namespace

NodeSchema MseSchema() {
  return SchemaBuilder("losses.mse")
      .category("losses")
      .doc("Squared error summed over each event, mean over leading dims")
      .input("pred", {"..."}, "prediction")
      .input("target", {"..."}, "target, same shape as pred")
      .output("loss", {}, "0-dim")
      .param("event_dims", ParamType::Int, 1, "trailing dims summed per event", 0)
      .param("symlog", ParamType::Bool, false, "compare with symlog(target): a prediction in symlog space (DreamerV3)")
      .build();
}

std::unique_ptr<Node> MakeMse(const Params& p, BuildContext&) { return std::make_unique<Mse>(p); }

}  // namespace lf::losses
