#include "features.h"

#include <ATen/ATen.h>

namespace lf::rssm {
namespace {

class Features : public Node {
  enum In { kH, kS };
  enum Out { kFeatures };
 public:
  void run(CallContext& ctx) override { ctx.set(kFeatures, at::cat({ctx.in(kH), ctx.in(kS)}, -1)); }
};

}  // namespace

NodeSchema FeaturesSchema() {
  return SchemaBuilder("rssm.features")
      .category("rssm")
      .doc("Model features concat(h, s) for decoders, heads, actor and critic")
      .input("h", {"...", "D"}, "deterministic state")
      .input("s", {"...", "S"}, "stochastic state")
      .output("features", {"...", "D+S"}, "concat(h, s)")
      .build();
}

std::unique_ptr<Node> MakeFeatures(const Params&, BuildContext&) { return std::make_unique<Features>(); }

}  // namespace lf::rssm
