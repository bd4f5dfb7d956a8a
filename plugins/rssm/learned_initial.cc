#include "learned_initial.h"

#include <stdexcept>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

namespace lf::rssm {
namespace {

struct InitialImpl : torch::nn::Module {
  explicit InitialImpl(int64_t deter) { w = register_parameter("initial", at::zeros({deter})); }
  at::Tensor w;
};

class LearnedInitial final : public Node {
  enum In { kLike };
  enum Out { kH };

 public:
  explicit LearnedInitial(const Params& p) : weights_(std::make_shared<InitialImpl>(p.i("deter"))) {}

  void run(CallContext& ctx) override {
    const auto& like = ctx.in(kLike);
    if (like.dim() < 1) throw std::invalid_argument("rssm.learned_initial: `like` needs a batch dim");
    ctx.set(kH, at::tanh(weights_->w).unsqueeze(0).expand({like.size(0), weights_->w.size(0)}));
  }
  torch::nn::Module* module() override { return weights_.get(); }

 private:
  std::shared_ptr<InitialImpl> weights_;
};

}  // namespace

NodeSchema LearnedInitialSchema() {
  return SchemaBuilder("rssm.learned_initial")
      .category("rssm")
      .doc("DreamerV3's learned initial deterministic state: tanh(w) for every row of the batch")
      .input("like", {"B", "..."}, "any tensor whose first dim is the batch", DType::Any)
      .output("h", {"B", "deter"}, "tanh(w) on every row")
      .param("deter", ParamType::Int, nullptr, "deterministic state size", 1)
      .learns()
      .build();
}

std::unique_ptr<Node> MakeLearnedInitial(const Params& p, BuildContext&) { return std::make_unique<LearnedInitial>(p); }

}  // namespace lf::rssm
