#include "detach.h"

#include <ATen/ATen.h>

namespace lf_nn {
namespace {

class Detach final : public lf::Node {
 public:
  void run(lf::CallContext& ctx) override { ctx.set(0, ctx.in(0).detach()); }
};

}  // namespace

lf::NodeSchema DetachSchema() {
  return lf::SchemaBuilder("nn.detach")
      .category("nn")
      .doc("Stop-gradient: the same values, cut from the autograd graph")
      .input("x", {"..."}, "any tensor", lf::DType::Any)
      .output("y", {"..."}, "x.detach(), no gradient flows back to x", lf::DType::Any)
      .build();
}

std::unique_ptr<lf::Node> MakeDetach(const lf::Params&, lf::BuildContext&) { return std::make_unique<Detach>(); }

}  // namespace lf_nn
