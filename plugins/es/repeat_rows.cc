#include "repeat_rows.h"

#include <stdexcept>

#include <ATen/ATen.h>

namespace lf::es {
namespace {

class RepeatRows final : public Node {
 public:
  explicit RepeatRows(int64_t repeats) : r_(repeats) {}
  void run(CallContext& ctx) override {
    const at::Tensor& x = ctx.in(0);
    if (x.dim() == 0) throw std::invalid_argument("es.repeat_rows: x must have at least one dim (the rows)");
    ctx.set(0, r_ == 1 ? x : x.repeat_interleave(r_, 0));
  }

 private:
  int64_t r_;
};

}  // namespace

NodeSchema RepeatRowsSchema() {
  return SchemaBuilder("es.repeat_rows")
      .category("es")
      .doc("Repeats each row R times in a row: [P, ...] -> [P*R, ...] (repeat_interleave)")
      .input("x", {"P", "..."}, "rows to repeat", DType::Any)
      .output("y", {"PR", "..."}, "row k*R + r = row k of x", DType::Any)
      .param("repeats", ParamType::Int, nullptr, "R: copies of each row", 1)
      .build();
}

std::unique_ptr<Node> MakeRepeatRows(const Params& p, BuildContext&) {
  return std::make_unique<RepeatRows>(p.i("repeats"));
}

}  // namespace lf::es
