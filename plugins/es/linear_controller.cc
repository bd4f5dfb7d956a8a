#include "linear_controller.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

namespace lf::es {
namespace {

class LinearController final : public Node {
  enum In { kParams, kX };
  enum Out { kAction };
 public:
  LinearController(int64_t in_dim, int64_t actions) : in_(in_dim), a_(actions) {}

  void run(CallContext& ctx) override {
    const at::Tensor& params = ctx.in(kParams);
    const at::Tensor& x = ctx.in(kX);
    const int64_t dim = (in_ + 1) * a_;
    if (params.dim() != 2 || params.size(1) != dim)
      throw std::invalid_argument("es.linear_controller: params must be [N, " + std::to_string(dim) +
                                  "] ((in_dim + 1) * action_size = (" + std::to_string(in_) + " + 1) * " +
                                  std::to_string(a_) + "), got " + shape_text(params.sizes()));
    if (x.dim() != 2 || x.size(1) != in_)
      throw std::invalid_argument("es.linear_controller: x must be [N, " + std::to_string(in_) + "] (in_dim), got " +
                                  shape_text(x.sizes()));
    if (x.size(0) != params.size(0))
      throw std::invalid_argument("es.linear_controller: params has " + std::to_string(params.size(0)) +
                                  " rows but x has " + std::to_string(x.size(0)) + ": one controller per row");
    const int64_t n = x.size(0);
    const auto bias = params.narrow(1, 0, a_);                        // [N, A]
    const auto weight = params.narrow(1, a_, in_ * a_).view({n, in_, a_});  // [N, in, A], row-major
    ctx.set(kAction, at::tanh(at::baddbmm(bias.unsqueeze(1), x.unsqueeze(1), weight).squeeze(1)));
  }

 private:
  int64_t in_, a_;
};

}  // namespace

NodeSchema LinearControllerSchema() {
  return SchemaBuilder("es.linear_controller")
      .category("es")
      .doc("World Models' controller: action = tanh(x W + b), one flat [b, W] parameter vector per row")
      .input("params", {"N", "dim"}, "one controller per row: bias (action_size), then W [in_dim, action_size] row-major")
      .input("x", {"N", "in_dim"}, "features per row ([z, h] in World Models)")
      .output("action", {"N", "action_size"}, "tanh(x W + b), in [-1, 1]")
      .param("in_dim", ParamType::Int, nullptr, "features per row", 1)
      .param("action_size", ParamType::Int, nullptr, "actions per row", 1)
      .build();
}

std::unique_ptr<Node> MakeLinearController(const Params& p, BuildContext&) {
  return std::make_unique<LinearController>(p.i("in_dim"), p.i("action_size"));
}

}  // namespace lf::es
