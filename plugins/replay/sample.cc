#include "sample.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "episodes.h"

namespace lf::replay {
namespace {

class Sample final : public Node {
  enum Out { kObs, kAction, kReward, kFirst };
 public:
  Sample(const Episodes& buffer, int64_t batch, int64_t length, bool from_first, uint64_t seed)
      : buffer_(buffer),
        batch_(batch),
        length_(length),
        from_first_(from_first),
        gen_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

  void run(CallContext& ctx) override {
    // The window index is rebuilt only when the buffer has committed or dropped episodes.
    if (!index_built_ || buffer_.version() != index_.version) {
      index_ = buffer_.windows(length_);
      index_built_ = true;
    }
    if (index_.count() == 0)
      throw std::runtime_error("replay.sample: replay holds " + std::to_string(index_.held) + " episodes, the longest " +
                               std::to_string(index_.longest) + " steps; a window needs `length` = " +
                               std::to_string(length_) + " steps");
    // From first steps: an episode uniformly; else a window uniformly over all windows.
    const int64_t choices = from_first_ ? static_cast<int64_t>(index_.episodes.size()) : index_.count();
    const auto draws = at::randint(choices, {batch_}, gen_, at::TensorOptions().dtype(at::kLong));
    const auto* w = draws.data_ptr<int64_t>();
    std::vector<at::Tensor> obs(batch_), action(batch_), reward(batch_);
    auto first = at::zeros({batch_, length_}, at::kFloat);
    auto first_a = first.accessor<float, 2>();
    for (int64_t b = 0; b < batch_; ++b) {
      const auto k = from_first_ ? w[b] : std::upper_bound(index_.ends.begin(), index_.ends.end(), w[b]) - index_.ends.begin();
      const int64_t start = from_first_ ? 0 : w[b] - (k > 0 ? index_.ends[k - 1] : 0);
      const Episode& ep = index_.episodes[k];
      // Views: the one copy per field is the stack below.
      obs[b] = ep.obs.narrow(0, start, length_);
      action[b] = ep.action.narrow(0, start, length_);
      reward[b] = ep.reward.narrow(0, start, length_);
      if (start == 0) first_a[b][0] = 1.f;
    }
    ctx.set(kObs, at::stack(obs));
    ctx.set(kAction, at::stack(action));
    ctx.set(kReward, at::stack(reward));
    ctx.set(kFirst, first);
  }

  void save_state(TensorDict& out) const override { out["generator"] = gen_.get_state(); }

  void load_state(const TensorDict& in) override { gen_.set_state(state_at(in, "generator")); }

 private:
  const Episodes& buffer_;
  const int64_t batch_, length_;
  const bool from_first_;
  at::Generator gen_;
  bool index_built_ = false;
  Windows index_;
};

}  // namespace

NodeSchema SampleSchema() {
  return SchemaBuilder("replay.sample")
      .category("replay")
      .doc("Uniformly drawn fixed-length windows inside stored episodes, for world-model training")
      .output("obs", {"batch", "length", "..."}, "observations, dtype as stored", DType::Any)
      .output("action", {"batch", "length", "*"}, "the action that led to each obs (0 at a first step)")
      .output("reward", {"batch", "length"}, "the reward received on arriving at each obs")
      .output("first", {"batch", "length"}, "1 where the step starts an episode")
      .param("buffer", ParamType::Block, nullptr, "the replay.episodes block to draw from")
      .param("batch", ParamType::Int, 50, "windows per call", 1)
      .param("length", ParamType::Int, 50, "steps per window", 1)
      .choice("start", {"any", "first"}, "any",
              "any: uniform over all windows; first: windows at an episode's start, the episode uniform")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeSample(const Params& p, BuildContext& ctx) {
  const std::string name = p.s("buffer");
  const auto* buffer = dynamic_cast<const Episodes*>(ctx.node_of(name));
  if (!buffer)
    throw std::invalid_argument("replay.sample: buffer '" + name + "' is not a replay.episodes block");
  return std::make_unique<Sample>(*buffer, p.i("batch"), p.i("length"), p.s("start") == "first", ctx.seed());
}

}  // namespace lf::replay
