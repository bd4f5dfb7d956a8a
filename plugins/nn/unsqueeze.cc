#include "unsqueeze.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>
#include <c10/util/StringUtil.h>

namespace lf_nn {
namespace {

class Unsqueeze final : public lf::Node {
 public:
  explicit Unsqueeze(const lf::Params& p) : dim_(p.i("dim")) {}
  void run(lf::CallContext& ctx) override {
    const at::Tensor& x = ctx.in(0);
    if (dim_ > x.dim())
      throw std::invalid_argument("nn.unsqueeze: dim " + std::to_string(dim_) + " is past the last dim of x (x is " +
                                  c10::str(x.sizes()) + ")");
    ctx.set(0, x.unsqueeze(dim_));
  }

 private:
  const int64_t dim_;
};

}  // namespace

lf::NodeSchema UnsqueezeSchema() {
  return lf::SchemaBuilder("nn.unsqueeze")
      .category("nn")
      .doc("A dim of size 1 inserted before dim `dim`: [...] -> [1, ...] at dim 0")
      .input("x", {"..."}, "any tensor", lf::DType::Any)
      // Where the new dim goes is a param, so the output's shape is not declared.
      .output("y", {"?"}, "x with a dim of size 1 inserted", lf::DType::Any)
      .param("dim", lf::ParamType::Int, 0, "where the new dim goes (0: a leading batch of one)", 0)
      .build();
}

std::unique_ptr<lf::Node> MakeUnsqueeze(const lf::Params& p, lf::BuildContext&) { return std::make_unique<Unsqueeze>(p); }

}  // namespace lf_nn
