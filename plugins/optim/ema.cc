#include "ema.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

namespace lf::optim {
namespace {

class Ema final : public Node {
 public:
  Ema(std::vector<at::Tensor> sources, std::vector<at::Tensor> targets, double tau)
      : sources_(std::move(sources)), targets_(std::move(targets)), tau_(tau) {
    copy();
  }

  void run(CallContext&) override {
    at::NoGradGuard no_grad;
    for (size_t i = 0; i < sources_.size(); ++i) targets_[i].lerp_(sources_[i], tau_);
  }

 private:
  void copy() {
    at::NoGradGuard no_grad;
    for (size_t i = 0; i < sources_.size(); ++i) targets_[i].copy_(sources_[i]);
  }

  std::vector<at::Tensor> sources_, targets_;
  double tau_;
};

}  // namespace

NodeSchema EmaSchema() {
  return SchemaBuilder("optim.ema")
      .category("optim")
      .doc("Target copies of blocks: target <- target + tau (source - target) per call; copied at build")
      .param("blocks", ParamType::BlockList, nullptr, "the online blocks")
      .param("targets", ParamType::BlockList, nullptr, "their slow copies, one per block, same structure")
      .param("tau", ParamType::Float, 0.01, "step toward the online weights per call", 0.0, 1.0)
      .build();
}

std::unique_ptr<Node> MakeEma(const Params& p, BuildContext& ctx) {
  const auto blocks = p.strings("blocks"), targets = p.strings("targets");
  auto bad = [](const std::string& what) { throw std::invalid_argument("optim.ema: " + what); };
  if (blocks.empty()) bad("'blocks' names no block");
  if (blocks.size() != targets.size())
    bad("'blocks' names " + std::to_string(blocks.size()) + " block(s) but 'targets' " +
        std::to_string(targets.size()) + ": one target per block");
  if (p.f("tau") <= 0) bad("tau must be above 0");
  std::vector<at::Tensor> sources, copies;
  for (size_t b = 0; b < blocks.size(); ++b) {
    auto weights = [&](const std::string& name) {
      torch::nn::Module* m = ctx.module_of(name);
      auto w = m ? m->named_parameters() : torch::OrderedDict<std::string, at::Tensor>{};
      if (w.is_empty()) bad("block '" + name + "' has no weights");
      return w;
    };
    const auto src = weights(blocks[b]), tgt = weights(targets[b]);
    if (blocks[b] == targets[b]) bad("block '" + blocks[b] + "' is its own target");
    if (src.size() != tgt.size())
      bad("target '" + targets[b] + "' has " + std::to_string(tgt.size()) + " weight tensors, block '" + blocks[b] +
          "' " + std::to_string(src.size()) + ": a target must be a block of the same type and params");
    for (size_t i = 0; i < src.size(); ++i) {
      const auto& [sk, sv] = src[i].pair();
      const auto& [tk, tv] = tgt[i].pair();
      if (sk != tk || !sv.sizes().equals(tv.sizes()))
        bad("target '" + targets[b] + "' has " + tk + " " + shape_text(tv.sizes()) + " where block '" + blocks[b] +
            "' has " + sk + " " + shape_text(sv.sizes()) + ": a target must be a block of the same type and params");
      sources.push_back(sv);
      copies.push_back(tv);
    }
  }
  return std::make_unique<Ema>(std::move(sources), std::move(copies), p.f("tau"));
}

}  // namespace lf::optim
