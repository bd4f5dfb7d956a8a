#include "squeeze.h"

#include <ATen/ATen.h>

namespace lf_nn {
namespace {

class Squeeze final : public lf::Node {
 public:
  void run(lf::CallContext& ctx) override {
    const auto& x = ctx.in(0);
    if (x.dim() == 0 || x.size(-1) != 1)
      throw std::invalid_argument("nn.squeeze: the last dim must have size 1, got a tensor of " + std::to_string(x.dim()) +
                                  " dims" + (x.dim() ? " ending in " + std::to_string(x.size(-1)) : ""));
    ctx.set(0, x.squeeze(-1));
  }
};

}  // namespace

lf::NodeSchema SqueezeSchema() {
  return lf::SchemaBuilder("nn.squeeze")
      .category("nn")
      .doc("Drops a last dim of size 1: [..., 1] -> [...]")
      .input("x", {"...", "1"}, "values with a unit last dim")
      .output("y", {"..."}, "the same values without it")
      .build();
}

std::unique_ptr<lf::Node> MakeSqueeze(const lf::Params&, lf::BuildContext&) { return std::make_unique<Squeeze>(); }

}  // namespace lf_nn
