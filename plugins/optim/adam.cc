#include "adam.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>

namespace lf::optim {
namespace {

class Adam : public Node {
  enum In { kLoss };
  enum Out { kGradNorm };
 public:
  // One param group per block, its lr scaled by the block's lr_scale.
  Adam(std::vector<torch::optim::OptimizerParamGroup> groups, const Params& p)
      : clip_(p.f("clip")),
        shrink_(p.f("shrink")),
        opt_(groups, torch::optim::AdamOptions(p.f("lr")).eps(p.f("eps")).weight_decay(p.f("weight_decay"))) {
    for (const auto& g : groups) params_.insert(params_.end(), g.params().begin(), g.params().end());
  }

  void run(CallContext& ctx) override {
    const auto& loss = ctx.in(kLoss);
    if (!loss.requires_grad())
      throw std::invalid_argument("optim.adam: the loss does not require grad (computed in no-grad mode, or not "
                                  "depending on any weight)");
    for (auto& w : params_) w.mutable_grad().reset();
    // Only into its own weights: an actor's loss back-propagates through the world model's
    // dynamics without computing, or accumulating into, the world model's weight gradients. A
    // weight the loss does not reach keeps an undefined grad, which the step skips.
    loss.backward({}, c10::nullopt, false, at::TensorList(params_));
    std::vector<at::Tensor> norms;
    for (const auto& w : params_)
      if (w.grad().defined()) norms.push_back(w.grad().detach().norm().to(at::kFloat));
    auto total = norms.empty() ? at::zeros({}, at::kFloat) : at::stack(norms).norm();
    if (clip_ > 0) torch::nn::utils::clip_grad_norm_(params_, clip_);
    if (shrink_ > 0) {
      at::NoGradGuard no_grad;
      for (auto& w : params_) w.mul_(1 - shrink_);
    }
    opt_.step();
    ctx.set(kGradNorm, total.cpu());
  }

  // Per parameter (in the order of the blocks list): step count and both moments. Parameters not
  // yet stepped have no state and save nothing.
  void save_state(TensorDict& out) const override {
    for (size_t i = 0; i < params_.size(); ++i) {
      auto it = opt_.state().find(key(params_[i]));
      if (it == opt_.state().end()) continue;
      const auto& st = static_cast<const torch::optim::AdamParamState&>(*it->second);
      const std::string k = std::to_string(i);
      out[k + ".step"] = at::scalar_tensor(st.step(), at::kLong);
      out[k + ".exp_avg"] = st.exp_avg();
      out[k + ".exp_avg_sq"] = st.exp_avg_sq();
    }
  }
  void load_state(const TensorDict& in) override {
    opt_.state().clear();
    for (size_t i = 0; i < params_.size(); ++i) {
      const std::string k = std::to_string(i);
      if (!in.count(k + ".step")) continue;
      auto st = std::make_unique<torch::optim::AdamParamState>();
      st->step(state_at(in, k + ".step").item<int64_t>());
      for (const char* m : {".exp_avg", ".exp_avg_sq"}) {
        const auto& t = state_at(in, k + m);
        if (!t.sizes().equals(params_[i].sizes()))
          throw std::invalid_argument("optim.adam: saved moment " + k + m + " does not match parameter " + k + "'s shape");
      }
      st->exp_avg(state_at(in, k + ".exp_avg").clone());
      st->exp_avg_sq(state_at(in, k + ".exp_avg_sq").clone());
      opt_.state()[key(params_[i])] = std::move(st);
    }
  }

 private:
  // How torch's optimizers key their per-parameter state.
  static std::string key(const at::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

  std::vector<at::Tensor> params_;
  double clip_, shrink_;
  torch::optim::Adam opt_;
};

}  // namespace

NodeSchema AdamSchema() {
  return SchemaBuilder("optim.adam")
      .category("optim")
      .doc("Adam step on the named blocks' weights from one loss, with optional global-norm clipping")
      .input("loss", {}, "0-dim loss")
      .output("grad_norm", {}, "gradient L2 norm before clipping")
      .param("blocks", ParamType::BlockList, nullptr, "blocks whose weights this optimizer updates")
      .param("lr", ParamType::Float, 1e-3, "learning rate", 0.0)
      .param("eps", ParamType::Float, 1e-8, "Adam epsilon", 0.0)
      .param("clip", ParamType::Float, 0.0, "max global gradient norm; 0 = no clipping", 0.0)
      .param("weight_decay", ParamType::Float, 0.0, "L2 coefficient added to the gradient", 0.0)
      .param("shrink", ParamType::Float, 0.0,
             "each step first multiplies every weight by 1 - shrink (DreamerV2's wd, not scaled by lr)", 0.0)
      .param("lr_scale", ParamType::FloatList, nlohmann::json::array(),
             "per block, in the order of blocks: its lr is lr times this (empty: 1 for all)")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeAdam(const Params& p, BuildContext& ctx) {
  const auto blocks = p.strings("blocks");
  const auto scales = p.floats("lr_scale");
  // An optimizer of nothing is a graph bug, and backward refuses an empty list of `inputs`.
  if (blocks.empty()) throw ParamError("blocks", "optim.adam: 'blocks' names no block to optimize");
  if (!scales.empty() && scales.size() != blocks.size())
    throw ParamError("lr_scale", "optim.adam: lr_scale has " + std::to_string(scales.size()) +
                                " entries; it needs one per block (" + std::to_string(blocks.size()) + ") or none");
  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (size_t i = 0; i < blocks.size(); ++i) {
    torch::nn::Module* m = ctx.module_of(blocks[i]);
    auto weights = m ? m->parameters() : std::vector<at::Tensor>{};
    if (weights.empty())
      throw ParamError("blocks", "optim.adam: block '" + blocks[i] + "' has no weights to optimize");
    auto options = std::make_unique<torch::optim::AdamOptions>(p.f("lr") * (scales.empty() ? 1.0 : scales[i]));
    options->eps(p.f("eps")).weight_decay(p.f("weight_decay"));
    groups.emplace_back(std::move(weights), std::move(options));
  }
  return std::make_unique<Adam>(std::move(groups), p);
}

}  // namespace lf::optim
