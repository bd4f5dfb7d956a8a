#include "linear.h"

#include "latentflow/linear.h"

namespace lf_nn {
namespace {

class Linear final : public lf::Node {
  enum In { kX };
  enum Out { kY };
 public:
  explicit Linear(const lf::Params& p)
      : lin_(torch::nn::LinearOptions(p.i("in_dim"), p.i("out_dim")).bias(p.b("bias"))) {
    lin_->set_compute(lf::compute_of(p));
  }
  void run(lf::CallContext& ctx) override { ctx.set(kY, lin_->forward(ctx.in(kX))); }
  torch::nn::Module* module() override { return lin_.get(); }

 private:
  lf::Linear lin_;
};

}  // namespace

lf::NodeSchema LinearSchema() {
  return lf::SchemaBuilder("nn.linear")
      .category("nn")
      .doc("Affine map of the last dim: y = x W^T + b")
      .input("x", {"...", "in_dim"}, "input features")
      .output("y", {"...", "out_dim"}, "output features")
      .param("in_dim", lf::ParamType::Int, nullptr, "input width", 1)
      .param("out_dim", lf::ParamType::Int, nullptr, "output width", 1)
      .param("bias", lf::ParamType::Bool, true, "add a learned offset")
      .compute()
      .learns()
      .build();
}

std::unique_ptr<lf::Node> MakeLinear(const lf::Params& p, lf::BuildContext&) {
  return std::make_unique<Linear>(p);
}

}  // namespace lf_nn
