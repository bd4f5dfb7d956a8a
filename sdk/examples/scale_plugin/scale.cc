#include "scale.h"

#include <ATen/ATen.h>

namespace lf::example {
namespace {

// Ports by index, in schema order.
enum In { kX };
enum Out { kY };

class Scale : public Node {
 public:
  // The engine has already checked and defaulted the params against the schema.
  explicit Scale(const Params& p) : factor_(p.f("factor")) {}
  void run(CallContext& ctx) override { ctx.set(kY, ctx.in(kX) * factor_); }

 private:
  double factor_;
};

}  // namespace

NodeSchema ScaleSchema() {
  return SchemaBuilder("example.scale")
      .category("example")
      .doc("y = factor * x")
      .input("x", {"..."}, "any float tensor")
      .output("y", {"..."}, "same shape as x")
      .param("factor", ParamType::Float, 2.0, "the constant multiplier")
      .build();
}

std::unique_ptr<Node> MakeScale(const Params& p, BuildContext&) { return std::make_unique<Scale>(p); }

}  // namespace lf::example
