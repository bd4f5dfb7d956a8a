#include "oscillator.h"

#include <cmath>
#include <vector>

#include <ATen/ATen.h>
#include "latentflow/node_random.h"

namespace lf_data {
namespace {

class Oscillator final : public lf::Node {
  enum Out { kObs, kAction };
 public:
  Oscillator(const lf::Params& p, uint64_t seed)
      : batch_(p.i("batch")),
        length_(p.i("length")),
        obs_(p.i("obs")),
        action_(p.i("action_size")),
        noise_(p.f("noise")),
        rng_(seed) {
    const int64_t planes = (obs_ + 1) / 2;
    const auto opts = at::TensorOptions().dtype(at::kFloat);
    const double radius = 1.0 - p.f("damping");
    const auto jitter = at::rand({planes}, rng_.generator(), opts);
    // Row-vector form: the step is s @ transition_ + a @ input_.
    transition_ = at::zeros({2 * planes, 2 * planes}, opts);
    auto a = transition_.accessor<float, 2>();
    for (int64_t i = 0; i < planes; ++i) {
      // Stratified frequencies: distinct per plane, yet drawn from the seed.
      const double omega = 0.1 + 0.5 * (i + jitter[i].item<float>()) / planes;
      a[2 * i][2 * i] = a[2 * i + 1][2 * i + 1] = radius * std::cos(omega);
      a[2 * i][2 * i + 1] = radius * std::sin(omega);
      a[2 * i + 1][2 * i] = -radius * std::sin(omega);
    }
    // Scaled so that the stationary state has roughly unit variance per coordinate.
    input_ = at::randn({action_, 2 * planes}, rng_.generator(), opts) * (0.5 / std::sqrt(static_cast<double>(action_)));
  }

  void run(lf::CallContext& ctx) override {
    const auto opts = at::TensorOptions().dtype(at::kFloat);
    const int64_t width = transition_.size(0);
    auto action = at::rand({batch_, length_, action_}, rng_.generator(), opts) * 2 - 1;
    action.select(1, 0).zero_();
    // Everything but the rotation is known up front: one batched op instead of one per step.
    const auto drive = at::matmul(action, input_) + noise_ * at::randn({batch_, length_, width}, rng_.generator(), opts);
    auto state = at::randn({batch_, width}, rng_.generator(), opts);
    std::vector<at::Tensor> states;
    states.reserve(length_);
    for (int64_t t = 0; t < length_; ++t) {
      if (t > 0) state = at::addmm(drive.select(1, t), state, transition_);
      states.push_back(state);
    }
    auto obs = at::stack(states, 1).narrow(2, 0, obs_);
    ctx.set(kObs, obs + noise_ * at::randn(obs.sizes(), rng_.generator(), opts));
    ctx.set(kAction, action);
  }

  void save_state(lf::TensorDict& out) const override { rng_.save(out); }
  void load_state(const lf::TensorDict& in) override { rng_.load(in); }

 private:
  int64_t batch_, length_, obs_, action_;
  double noise_;
  lf::NodeRandom rng_;
  at::Tensor transition_, input_;
};

}  // namespace

lf::NodeSchema OscillatorSchema() {
  return lf::SchemaBuilder("data.oscillator")
      .category("data")
      .doc("Synthetic action-driven noisy damped oscillator sequences, a fixture for world models")
      .output("obs", {"batch", "length", "obs"}, "noisy observations")
      .output("action", {"batch", "length", "action_size"}, "action applied before each observation, 0 at t=0")
      .param("batch", lf::ParamType::Int, 16, "sequences per call", 1)
      .param("length", lf::ParamType::Int, 50, "steps per sequence", 1)
      .param("obs", lf::ParamType::Int, 4, "observation width", 1)
      .param("action_size", lf::ParamType::Int, 1, "action width", 1)
      .param("damping", lf::ParamType::Float, 0.05, "per-step shrinkage of the rotations", 0.0, 1.0)
      .param("noise", lf::ParamType::Float, 0.01, "std of process and observation noise", 0.0)
      .stateful()
      .build();
}

std::unique_ptr<lf::Node> MakeOscillator(const lf::Params& p, lf::BuildContext& ctx) {
  return std::make_unique<Oscillator>(p, ctx.seed());
}

}  // namespace lf_data
