#include "bernoulli_mode.h"

#include <ATen/ATen.h>

namespace lf::rl {
namespace {

class BernoulliMode final : public Node {
 public:
  void run(CallContext& ctx) override {
    const auto& logits = ctx.in(0);
    ctx.set(0, logits.detach().gt(0).to(logits.scalar_type()));
  }
};

}  // namespace

NodeSchema BernoulliModeSchema() {
  return SchemaBuilder("rl.bernoulli_mode")
      .category("rl")
      .doc("Mode of Bernoulli logits: 1 where logits > 0, else 0 (DreamerV3's imagined continuation flags)")
      .input("logits", {"..."}, "Bernoulli logits")
      .output("y", {"..."}, "0 or 1, no gradient")
      .build();
}

std::unique_ptr<Node> MakeBernoulliMode(const Params&, BuildContext&) { return std::make_unique<BernoulliMode>(); }

}  // namespace lf::rl
