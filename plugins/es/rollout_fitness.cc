#include "rollout_fitness.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

namespace lf::es {
namespace {

class RolloutFitness final : public Node {
 public:
  explicit RolloutFitness(int64_t repeats) : r_(repeats) {}
  void run(CallContext& ctx) override {
    const at::Tensor& rewards = ctx.in(0);
    if (rewards.dim() == 0 || rewards.size(0) % r_ != 0)
      throw std::invalid_argument("es.rollout_fitness: rewards must have a multiple of repeats = " +
                                  std::to_string(r_) + " rows (R rollouts per candidate), got " +
                                  (rewards.dim() ? std::to_string(rewards.size(0)) + " rows" : "a scalar"));
    const auto returns = rewards.reshape({rewards.size(0), -1}).sum(1);  // [P*R]
    const auto fitness = returns.view({-1, r_}).mean(1).to(at::kFloat);
    ctx.set(0, fitness);
    ctx.set(1, fitness.detach().mean());
    ctx.set(2, fitness.detach().max());
  }

 private:
  int64_t r_;
};

}  // namespace

NodeSchema RolloutFitnessSchema() {
  return SchemaBuilder("es.rollout_fitness")
      .category("es")
      .doc("Each candidate's mean return over its R rollouts: rewards [P*R, ...] -> fitness [P]")
      .input("rewards", {"PR", "..."}, "rewards of each rollout, candidate k's in rows k*R .. k*R+R-1")
      .output("fitness", {"P"}, "mean over the R rollouts of the summed rewards")
      .output("mean_fitness", {}, "mean of fitness over the candidates (detached, for logging)")
      .output("max_fitness", {}, "the best candidate's fitness (detached, for logging)")
      .param("repeats", ParamType::Int, nullptr, "R: rollouts per candidate", 1)
      .build();
}

std::unique_ptr<Node> MakeRolloutFitness(const Params& p, BuildContext&) {
  return std::make_unique<RolloutFitness>(p.i("repeats"));
}

}  // namespace lf::es
