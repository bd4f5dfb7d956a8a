#include "point_mass.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <locale>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace lf::example {

namespace {

enum Out { kState, kReward, kFirst, kLast, kReturn };

class PointMass final : public Node {
 public:
  PointMass(const Params& p, uint64_t seed)
      : n_(p.i("envs")), steps_(p.i("episode_steps")), dt_(p.f("dt")), rng_(seed), x_(n_), v_(n_), t_(n_),
        ret_(n_), reset_(n_, true) {}

  nlohmann::json spec() const override {
    return {{"observation", {{{"name", "position"}, {"size", 1}}, {{"name", "velocity"}, {"size", 1}}}},
            {"observation_size", 2},
            {"action", {{"size", 1}, {"low", -1.0}, {"high", 1.0}}},
            {"agent_steps_per_episode", steps_},
            {"envs", n_}};
  }

  void run(CallContext& ctx) override {
    at::Tensor action;
    if (ctx.has(0)) {
      action = ctx.in(0).to(at::kDouble).contiguous();
      if (action.dim() != 2 || action.size(0) != n_ || action.size(1) != 1) {
        throw std::invalid_argument("action must be [" + std::to_string(n_) + ", 1]");
      }
    }
    at::Tensor state = at::empty({n_, 2}), reward = at::zeros({n_}), first = at::zeros({n_}),
               last = at::zeros({n_}), ret = at::empty({n_});
    std::uniform_real_distribution<double> start(-1.0, 1.0);
    for (int64_t i = 0; i < n_; ++i) {
      if (!action.defined() || reset_[i]) {
        x_[i] = start(rng_), v_[i] = 0, t_[i] = 0, ret_[i] = 0;
        first[i] = 1;
      } else {
        const double f = std::clamp(action[i][0].item<double>(), -1.0, 1.0);
        v_[i] += f * dt_;  // semi-implicit Euler
        x_[i] += v_[i] * dt_;
        const double r = 1.0 - std::min(std::abs(x_[i]), 1.0);
        reward[i] = r;
        ret_[i] += r;
        ++t_[i];
      }
      reset_[i] = t_[i] >= steps_;
      last[i] = reset_[i] ? 1 : 0;
      state[i][0] = x_[i];
      state[i][1] = v_[i];
      ret[i] = ret_[i];
    }
    ctx.set(kState, state);
    ctx.set(kReward, reward);
    ctx.set(kFirst, first);
    ctx.set(kLast, last);
    ctx.set(kReturn, ret);
  }

  // Checkpoints: the generator, as text (std::mt19937_64's stream format) in a uint8 tensor.
  // Episodes in progress are not saved: as with the engine's own environments, every env starts a
  // new episode at its first call after a load, because a resumed run also restarts what the
  // policy carries from step to step (docs/graph-format.md, "Checkpoints, resume and evaluation").
  void save_state(TensorDict& out) const override {
    std::ostringstream text;
    text.imbue(std::locale::classic());  // the format must not depend on the user's locale
    text << rng_;
    const std::string s = text.str();
    at::Tensor t = at::empty({static_cast<int64_t>(s.size())}, at::kByte);
    std::memcpy(t.data_ptr<uint8_t>(), s.data(), s.size());
    out["rng"] = t;
  }

  // Checks everything before changing anything, so that a refused state leaves the node as it
  // was; lf::state_at throws std::invalid_argument naming a missing key.
  void load_state(const TensorDict& in) override {
    const at::Tensor& t = state_at(in, "rng");
    if (t.dim() != 1 || t.scalar_type() != at::kByte)
      throw std::invalid_argument("example.point_mass: state 'rng' must be a 1-D uint8 tensor (the generator as "
                                  "text), got " + std::string(c10::toString(t.scalar_type())) + " of rank " +
                                  std::to_string(t.dim()));
    const at::Tensor bytes = t.contiguous();
    std::istringstream text(std::string(reinterpret_cast<const char*>(bytes.data_ptr<uint8_t>()),
                                        static_cast<size_t>(bytes.numel())));
    text.imbue(std::locale::classic());
    std::mt19937_64 rng;
    if (!(text >> rng))
      throw std::invalid_argument("example.point_mass: state 'rng' is not a std::mt19937_64 state");
    rng_ = rng;
    std::fill(reset_.begin(), reset_.end(), true);
  }

 private:
  int64_t n_, steps_;
  double dt_;
  std::mt19937_64 rng_;
  std::vector<double> x_, v_;
  std::vector<int64_t> t_;
  std::vector<double> ret_;
  std::vector<bool> reset_;
};

}  // namespace

NodeSchema PointMassSchema() {
  return SchemaBuilder("example.point_mass")
      .category("env")
      .doc("A unit mass on a line pushed toward the origin: a minimal custom environment")
      .stateful()
      .optional_input("action", {"envs", "1"}, "force in [-1, 1]; unconnected: start new episodes")
      .output("state", {"envs", "2"}, "position, velocity")
      .output("reward", {"envs"}, "1 - min(|x|, 1)")
      .output("first", {"envs"}, "1 where this step starts an episode")
      .output("last", {"envs"}, "1 where this step ends an episode")
      .output("episode_return", {"envs"}, "return of the current episode so far")
      .param("envs", ParamType::Int, 1, "parallel instances", 1)
      .param("episode_steps", ParamType::Int, 200, "steps per episode", 1)
      .param("dt", ParamType::Float, 0.05, "seconds per step", 1e-4, 1.0)
      .build();
}

std::unique_ptr<Node> MakePointMass(const Params& p, BuildContext& ctx) {
  return std::make_unique<PointMass>(p, ctx.seed());
}

}  // namespace lf::example
