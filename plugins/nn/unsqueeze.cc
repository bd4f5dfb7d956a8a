#include "unsqueeze.h"

#include <ATen/ATen.h>

namespace lf_nn {
namespace {

class Unsqueeze final : public lf::Node {
 public:
  void run(lf::CallContext& ctx) override { ctx.set(0, ctx.in(0).unsqueeze(0)); }
};

}  // namespace

lf::NodeSchema UnsqueezeSchema() {
  return lf::SchemaBuilder("nn.unsqueeze")
      .category("nn")
      .doc("A leading dim of size 1: [...] -> [1, ...]")
      .input("x", {"..."}, "any tensor", lf::DType::Any)
      .output("y", {"1", "..."}, "x as a batch of one", lf::DType::Any)
      .build();
}

std::unique_ptr<lf::Node> MakeUnsqueeze(const lf::Params&, lf::BuildContext&) { return std::make_unique<Unsqueeze>(); }

}  // namespace lf_nn
