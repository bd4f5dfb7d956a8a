#include "two_hot_decode.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

#include "two_hot.h"

namespace lf::rl {
namespace {

class TwoHotDecode final : public Node {
 public:
  explicit TwoHotDecode(TwoHotBins bins) : bins_(bins) {}
  void run(CallContext& ctx) override {
    const at::Tensor& logits = ctx.in(0);
    if (logits.dim() == 0 || logits.size(-1) != bins_.bins)
      throw std::invalid_argument("rl.two_hot_decode: logits must be [..., " + std::to_string(bins_.bins) + "], got " +
                                  shape_text(logits.sizes()));
    ctx.set(0, two_hot_decode(logits, bins_));
  }

 private:
  TwoHotBins bins_;
};

}  // namespace

NodeSchema TwoHotDecodeSchema() {
  return SchemaBuilder("rl.two_hot_decode")
      .category("rl")
      .doc("The scalar of two-hot logits: the softmax-expected bin (TD-MPC2's symlog bins, DreamerV3's symexp bins)")
      .input("logits", {"...", "bins"}, "a two-hot head's logits")
      .output("y", {"..."}, "the decoded scalar")
      .param("bins", ParamType::Int, 101, "number of bins", 2)
      .param("low", ParamType::Float, -10.0, "lowest bin, in symlog space")
      .param("high", ParamType::Float, 10.0, "highest bin, in symlog space")
      .choice("spacing", {"symlog", "symexp"}, "symlog", "symlog: TD-MPC2's bins; symexp: DreamerV3's (two_hot.h)")
      .build();
}

std::unique_ptr<Node> MakeTwoHotDecode(const Params& p, BuildContext&) {
  if (!(p.f("low") < p.f("high"))) throw std::invalid_argument("rl.two_hot_decode: low must be below high");
  return std::make_unique<TwoHotDecode>(TwoHotBins{p.i("bins"), p.f("low"), p.f("high"), p.s("spacing") == "symexp"});
}

}  // namespace lf::rl
