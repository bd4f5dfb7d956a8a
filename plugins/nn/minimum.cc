#include "minimum.h"

#include <ATen/ATen.h>

namespace lf_nn {
namespace {

class Minimum final : public lf::Node {
 public:
  void run(lf::CallContext& ctx) override { ctx.set(0, at::minimum(ctx.in(0), ctx.in(1))); }
};

}  // namespace

lf::NodeSchema MinimumSchema() {
  return lf::SchemaBuilder("nn.minimum")
      .category("nn")
      .doc("Elementwise minimum of two tensors of one shape")
      .input("a", {"..."}, "first")
      .input("b", {"..."}, "second, a's shape")
      .output("y", {"..."}, "min(a, b)")
      .build();
}

std::unique_ptr<lf::Node> MakeMinimum(const lf::Params&, lf::BuildContext&) { return std::make_unique<Minimum>(); }

}  // namespace lf_nn
