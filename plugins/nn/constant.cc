#include "constant.h"

#include <ATen/ATen.h>

namespace lf_nn {
namespace {

class Constant final : public lf::Node {
 public:
  explicit Constant(const lf::Params& p) : value_(at::full(p.ints("shape"), p.f("value"), at::kFloat)) {}
  void run(lf::CallContext& ctx) override { ctx.set(0, value_); }

 private:
  at::Tensor value_;
};

}  // namespace

lf::NodeSchema ConstantSchema() {
  return lf::SchemaBuilder("nn.constant")
      .category("nn")
      .doc("A tensor of a fixed shape filled with one value")
      .output("y", {"..."}, "the constant")
      .param("shape", lf::ParamType::IntList, nullptr, "its shape", 0)
      .param("value", lf::ParamType::Float, 0.0, "every element's value")
      .build();
}

std::unique_ptr<lf::Node> MakeConstant(const lf::Params& p, lf::BuildContext&) {
  return std::make_unique<Constant>(p);
}

}  // namespace lf_nn
