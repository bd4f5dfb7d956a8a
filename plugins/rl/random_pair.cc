#include "random_pair.h"

#include <stdexcept>

#include <ATen/ATen.h>

#include "latentflow/node_random.h"

namespace lf::rl {
namespace {

class RandomPair final : public Node {
  enum Out { kMin, kMean };

 public:
  explicit RandomPair(uint64_t seed) : rng_(seed) {}
  void run(CallContext& ctx) override {
    const at::Tensor& v = ctx.in(0);
    if (v.dim() == 0 || v.size(0) < 2)
      throw std::invalid_argument("rl.random_pair: values must be [K, ...] with K >= 2, got " + shape_text(v.sizes()));
    const auto pick = at::randperm(v.size(0), rng_.generator(), at::TensorOptions().dtype(at::kLong));
    const auto a = v.select(0, pick[0].item<int64_t>()), b = v.select(0, pick[1].item<int64_t>());
    ctx.set(kMin, at::minimum(a, b));
    ctx.set(kMean, (a + b) / 2);
  }
  void save_state(TensorDict& out) const override { rng_.save(out); }
  void load_state(const TensorDict& in) override { rng_.load(in); }

 private:
  NodeRandom rng_;
};

}  // namespace

NodeSchema RandomPairSchema() {
  return SchemaBuilder("rl.random_pair")
      .category("rl")
      .doc("Two of K ensemble values chosen at random per call: their min and mean (TD-MPC2's Qs)")
      .input("values", {"K", "..."}, "each member's values")
      .output("min", {"..."}, "the smaller of the two")
      .output("mean", {"..."}, "their average")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeRandomPair(const Params&, BuildContext& ctx) { return std::make_unique<RandomPair>(ctx.seed()); }

}  // namespace lf::rl
