#include "weighted_sum.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

namespace lf::losses {
namespace {

constexpr size_t kMaxInputs = 8;

class WeightedSum : public Node {
  enum Out { kLoss };
 public:
  explicit WeightedSum(const Params& p) : weights_(p.floats("weights")) {}

  void run(CallContext& ctx) override {
    at::Tensor total;
    for (size_t i = 0; i < kMaxInputs; ++i) {
      if (!ctx.has(i)) continue;
      if (i >= weights_.size())
        throw std::invalid_argument("losses.weighted_sum: x" + std::to_string(i) + " is connected but `weights` has only " +
                                    std::to_string(weights_.size()) + " entries");
      auto term = ctx.in(i) * weights_[i];
      total = total.defined() ? total + term : term;
    }
    if (!total.defined())
      throw std::invalid_argument("losses.weighted_sum: no input connected; connect at least one of x0..x7");
    ctx.set(kLoss, total);
  }

 private:
  std::vector<double> weights_;
};

}  // namespace

NodeSchema WeightedSumSchema() {
  SchemaBuilder b("losses.weighted_sum");
  b.category("losses").doc("sum_i w_i x_i over the connected 0-dim inputs x0..x7");
  for (size_t i = 0; i < kMaxInputs; ++i) b.optional_input(std::string{'x', char('0' + i)}, {}, "0-dim loss term");
  return b.output("loss", {}, "0-dim weighted sum")
      .param("weights", ParamType::FloatList, std::vector<double>(kMaxInputs, 1.0), "w_i for input x_i")
      .build();
}

std::unique_ptr<Node> MakeWeightedSum(const Params& p, BuildContext&) {
  auto w = p.floats("weights");
  if (w.empty() || w.size() > kMaxInputs)
    throw std::invalid_argument("losses.weighted_sum: `weights` needs 1 to 8 entries, got " + std::to_string(w.size()));
  return std::make_unique<WeightedSum>(p);
}

}  // namespace lf::losses
