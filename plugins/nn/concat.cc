#include "concat.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>
#include <c10/util/StringUtil.h>

namespace lf_nn {
namespace {

class Concat final : public lf::Node {
  enum In { kA, kB };
 public:
  explicit Concat(const lf::Params& p) : dim_(p.i("dim")) {}

  void run(lf::CallContext& ctx) override {
    const at::Tensor& a = ctx.in(kA);
    const at::Tensor& b = ctx.in(kB);
    auto fail = [&](const std::string& what) {
      throw std::invalid_argument("nn.concat: " + what + " (a is " + c10::str(a.sizes()) + " " +
                                  at::toString(a.scalar_type()) + ", b is " + c10::str(b.sizes()) + " " +
                                  at::toString(b.scalar_type()) + ")");
    };
    const int64_t rank = a.dim();
    if (dim_ < -rank || dim_ >= rank) fail("dim " + std::to_string(dim_) + " is not a dim of a");
    if (b.dim() != rank) fail("a and b differ in rank");
    if (b.scalar_type() != a.scalar_type()) fail("a and b differ in dtype");
    const int64_t d = dim_ < 0 ? rank + dim_ : dim_;
    for (int64_t i = 0; i < rank; ++i)
      if (i != d && a.size(i) != b.size(i))
        fail("a and b differ in dim " + std::to_string(i) + ", and only dim " + std::to_string(d) + " may differ");
    ctx.set(0, at::cat({a, b}, d));
  }

 private:
  const int64_t dim_;
};

}  // namespace

lf::NodeSchema ConcatSchema() {
  return lf::SchemaBuilder("nn.concat")
      .category("nn")
      .doc("a and b joined along one dim (torch.cat): features side by side, or sequences along time")
      // Exact for the default dim -1; a pattern cannot depend on which dim grows.
      .input("a", {"..."}, "first part", lf::DType::Any)
      .input("b", {"?"}, "second part: a's rank, dtype and sizes except along dim", lf::DType::Any)
      .output("y", {"?"}, "a then b along dim", lf::DType::Any)
      .param("dim", lf::ParamType::Int, -1, "the dim to join along; negative counts from the end")
      .build();
}

std::unique_ptr<lf::Node> MakeConcat(const lf::Params& p, lf::BuildContext&) { return std::make_unique<Concat>(p); }

}  // namespace lf_nn
