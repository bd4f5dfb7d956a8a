#include "features.h"

#include <ATen/ATen.h>

namespace lf::rssm {
namespace {

enum In { kH, kS };
enum Out { kFeatures };

class Features : public Node {
 public:
  void run(CallContext& ctx) override { ctx.set(kFeatures, at::cat({ctx.in(kH), ctx.in(kS)}, -1)); }
};

}  // namespace

NodeSchema FeaturesSchema() {
  return SchemaBuilder("rssm.features")
      .category("rssm")
      .doc("Model features concat(h, s) for decoders, heads, actor and critic")
      .input("h", {"...", "deter"}, "deterministic state")
      .input("s", {"...", "stoch"}, "stochastic state")
      .output("features", {"...", "deter+stoch"}, "concat(h, s)")
      .param("deter", ParamType::Int, 200, "deterministic state size", 1)
      .param("stoch", ParamType::Int, 30, "stochastic state size", 1)
      .build();
}

std::unique_ptr<Node> MakeFeatures(const Params&, BuildContext&) { return std::make_unique<Features>(); }

}  // namespace lf::rssm
