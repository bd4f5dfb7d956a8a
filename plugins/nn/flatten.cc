#include "flatten.h"

#include <stdexcept>
#include <string>
#include <utility>

#include <ATen/ATen.h>
#include <c10/util/StringUtil.h>

namespace lf_nn {
namespace {

class Flatten final : public lf::Node {
 public:
  explicit Flatten(const lf::Params& p) : start_(p.i("start")), end_(p.i("end")) {}

  void run(lf::CallContext& ctx) override {
    const at::Tensor& x = ctx.in(0);
    auto fail = [&](const std::string& what) {
      throw std::invalid_argument("nn.flatten: " + what + " (x is " + c10::str(x.sizes()) + ")");
    };
    const int64_t rank = x.dim();
    for (const auto& [name, d] : {std::pair{"start", start_}, std::pair{"end", end_}})
      if (d < -rank || d >= rank) fail(std::string(name) + " " + std::to_string(d) + " is not a dim of x");
    const int64_t s = start_ < 0 ? rank + start_ : start_, e = end_ < 0 ? rank + end_ : end_;
    if (e < s) fail("end " + std::to_string(end_) + " comes before start " + std::to_string(start_));
    ctx.set(0, x.flatten(s, e));
  }

 private:
  const int64_t start_, end_;
};

}  // namespace

lf::NodeSchema FlattenSchema() {
  return lf::SchemaBuilder("nn.flatten")
      .category("nn")
      .doc("Merges dims start..end into one, as torch.flatten: [B, T, ...] -> [B*T, ...] by default")
      // Exact for the default start 0, end 1; a pattern cannot depend on how many dims are merged.
      .input("x", {"..."}, "any tensor", lf::DType::Any)
      .output("y", {"?"}, "x with dims start..end merged", lf::DType::Any)
      .param("start", lf::ParamType::Int, 0, "first dim merged; negative counts from the end")
      .param("end", lf::ParamType::Int, 1, "last dim merged (included); negative counts from the end")
      .build();
}

std::unique_ptr<lf::Node> MakeFlatten(const lf::Params& p, lf::BuildContext&) { return std::make_unique<Flatten>(p); }

}  // namespace lf_nn
