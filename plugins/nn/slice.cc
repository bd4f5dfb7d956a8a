#include "slice.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>
#include <c10/util/StringUtil.h>

namespace lf_nn {
namespace {

class Slice final : public lf::Node {
 public:
  explicit Slice(const lf::Params& p) : dim_(p.i("dim")), start_(p.i("start")), stop_(p.i("stop")) {}

  void run(lf::CallContext& ctx) override {
    const at::Tensor& x = ctx.in(0);
    auto fail = [&](const std::string& what) {
      throw std::invalid_argument("nn.slice: " + what + " (x is " + c10::str(x.sizes()) + ")");
    };
    const int64_t rank = x.dim();
    if (dim_ < -rank || dim_ >= rank) fail("dim " + std::to_string(dim_) + " is not a dim of x");
    const int64_t d = dim_ < 0 ? rank + dim_ : dim_;
    const int64_t n = x.size(d);
    const std::string along = " for dim " + std::to_string(d) + " of size " + std::to_string(n);
    if (start_ < -n || start_ >= n) fail("start " + std::to_string(start_) + " is out of range" + along);
    if (stop_ < -n || stop_ > n) fail("stop " + std::to_string(stop_) + " is out of range" + along);
    const int64_t a = start_ < 0 ? n + start_ : start_;
    const int64_t b = stop_ <= 0 ? n + stop_ : stop_;
    if (b <= a)
      fail("start " + std::to_string(start_) + " and stop " + std::to_string(stop_) + " select no index" + along);
    ctx.set(0, x.narrow(d, a, b - a));
  }

 private:
  const int64_t dim_, start_, stop_;
};

}  // namespace

lf::NodeSchema SliceSchema() {
  return lf::SchemaBuilder("nn.slice")
      .category("nn")
      .doc("x[start:stop] along one dim (a view): the time shift z[:, :-1] / z[:, 1:], context frames")
      // Which dim changes is a param, so only the batch and time dims are declared free.
      .input("x", {"..."}, "any tensor", lf::DType::Any)
      .output("y", {"?"}, "x narrowed along dim, a view", lf::DType::Any)
      .param("dim", lf::ParamType::Int, 1, "the dim to narrow (1: time); negative counts from the end")
      .param("start", lf::ParamType::Int, 0, "first index kept; negative counts from the end")
      .param("stop", lf::ParamType::Int, 0,
             "one past the last index kept; <= 0 counts from the end: -1 drops the last, 0 keeps through the end")
      .build();
}

std::unique_ptr<lf::Node> MakeSlice(const lf::Params& p, lf::BuildContext&) { return std::make_unique<Slice>(p); }

}  // namespace lf_nn
