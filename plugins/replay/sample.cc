#include "sample.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include "latentflow/node_random.h"

#include "episodes.h"
#include "set_priority.h"

namespace lf::replay {
namespace {

class Sample final : public Node, public Prioritized {
  enum Out { kObs, kAction, kReward, kFirst, kIndex, kWeight };

 public:
  Sample(const Episodes& buffer, int64_t batch, int64_t length, bool from_first, double alpha, double beta,
         uint64_t seed)
      : buffer_(buffer),
        batch_(batch),
        length_(length),
        from_first_(from_first),
        alpha_(alpha),
        beta_(beta),
        rng_(seed) {}

  void run(CallContext& ctx) override {
    refresh();
    if (index_.count() == 0)
      throw std::runtime_error("replay.sample: replay holds " + std::to_string(index_.held) + " episodes, the longest " +
                               std::to_string(index_.longest) + " steps; a window needs `length` = " +
                               std::to_string(length_) + " steps");
    at::Tensor draws, weight = at::ones({batch_}, at::kFloat);
    if (alpha_ > 0) {
      // P(i) = p_i^alpha / sum_k p_k^alpha; importance weights (N P(i))^-beta over their batch max.
      const auto probs = all_priorities().pow(alpha_);
      const auto p = probs / probs.sum();
      draws = at::multinomial(p, batch_, /*replacement=*/true, rng_.generator());
      weight = (static_cast<double>(index_.count()) * p.index_select(0, draws)).pow(-beta_);
      weight = weight / weight.max();
    } else {
      // From first steps: an episode uniformly; else a window uniformly over all windows.
      const int64_t choices = from_first_ ? static_cast<int64_t>(index_.episodes.size()) : index_.count();
      draws = at::randint(choices, {batch_}, rng_.generator(), at::TensorOptions().dtype(at::kLong));
    }
    const auto* w = draws.data_ptr<int64_t>();
    std::vector<at::Tensor> obs(batch_), action(batch_), reward(batch_);
    auto first = at::zeros({batch_, length_}, at::kFloat);
    auto first_a = first.accessor<float, 2>();
    auto index = at::empty({batch_}, at::kLong);
    auto* index_p = index.data_ptr<int64_t>();
    for (int64_t b = 0; b < batch_; ++b) {
      const auto k = from_first_ ? w[b] : std::upper_bound(index_.ends.begin(), index_.ends.end(), w[b]) - index_.ends.begin();
      const int64_t start = from_first_ ? 0 : w[b] - (k > 0 ? index_.ends[k - 1] : 0);
      const Episode& ep = index_.episodes[k];
      // Views: the one copy per field is the stack below.
      obs[b] = ep.obs.narrow(0, start, length_);
      action[b] = ep.action.narrow(0, start, length_);
      reward[b] = ep.reward.narrow(0, start, length_);
      if (start == 0) first_a[b][0] = 1.f;
      index_p[b] = ep.serial * kMaxSteps + start;
    }
    ctx.set(kObs, at::stack(obs));
    ctx.set(kAction, at::stack(action));
    ctx.set(kReward, at::stack(reward));
    ctx.set(kFirst, first);
    ctx.set(kIndex, index);
    ctx.set(kWeight, weight);
  }

  void set_priorities(const at::Tensor& index, const at::Tensor& priority) override {
    if (alpha_ <= 0)
      throw std::invalid_argument("replay.set_priority: its sampler draws uniformly (priority_alpha 0)");
    refresh();
    const auto idx = index.to(at::kCPU).contiguous();
    const auto pr = priority.detach().to(at::kCPU, at::kFloat).contiguous();
    if (idx.scalar_type() != at::kLong || idx.dim() != 1 || pr.dim() != 1 || pr.numel() != idx.numel())
      throw std::invalid_argument("replay.set_priority: index must be i64 [B] and priority [B], got index " +
                                  shape_text(idx.sizes()) + " " + at::toString(idx.scalar_type()) + " and priority " +
                                  shape_text(pr.sizes()));
    const auto* i = idx.data_ptr<int64_t>();
    const auto* v = pr.data_ptr<float>();
    for (int64_t b = 0; b < idx.numel(); ++b) {
      if (!std::isfinite(v[b]) || v[b] < 0)
        throw std::invalid_argument("replay.set_priority: priority " + std::to_string(v[b]) + " at row " +
                                    std::to_string(b) + " is not a finite value >= 0");
      auto it = priorities_.find(i[b] / kMaxSteps);
      if (it == priorities_.end()) continue;  // the episode was evicted since it was drawn
      const int64_t start = i[b] % kMaxSteps;
      if (start < it->second.numel()) it->second.accessor<float, 1>()[start] = v[b] + kEps;
    }
  }

  void save_state(TensorDict& out) const override {
    rng_.save(out);
    if (alpha_ <= 0) return;
    std::vector<int64_t> serials;
    std::vector<at::Tensor> values;
    for (const auto& [serial, p] : priorities_) serials.push_back(serial), values.push_back(p);
    std::vector<int64_t> lengths;
    for (const auto& v : values) lengths.push_back(v.numel());
    out["priority_serials"] = at::tensor(serials, at::kLong);
    out["priority_lengths"] = at::tensor(lengths, at::kLong);
    out["priorities"] = values.empty() ? at::empty({0}) : at::cat(values);
  }

  void load_state(const TensorDict& in) override {
    rng_.load(in);
    priorities_.clear();
    index_built_ = false;
    if (alpha_ <= 0) return;
    const auto serials = state_at(in, "priority_serials"), lengths = state_at(in, "priority_lengths");
    const auto values = state_at(in, "priorities");
    if (serials.numel() != lengths.numel() || lengths.sum().item<int64_t>() != values.numel())
      throw std::invalid_argument("replay.sample: load_state: the saved priorities do not add up");
    for (int64_t k = 0, at_ = 0; k < serials.numel(); ++k) {
      const int64_t n = lengths[k].item<int64_t>();
      priorities_[serials[k].item<int64_t>()] = values.narrow(0, at_, n).clone();
      at_ += n;
    }
  }

 private:
  static constexpr int64_t kMaxSteps = int64_t{1} << 32;  // index = serial * kMaxSteps + start
  static constexpr float kEps = 1e-6f;                    // added to a set priority (TD-MPC's _eps)

  // The window index is rebuilt only when the buffer has committed or dropped episodes; with
  // priorities, new episodes' windows start at the highest priority held, evicted ones are dropped.
  void refresh() {
    if (index_built_ && buffer_.version() == index_.version) return;
    index_ = buffer_.windows(length_);
    index_built_ = true;
    if (alpha_ <= 0) return;
    float highest = 0;
    for (const auto& [serial, p] : priorities_) highest = std::max(highest, p.max().item<float>());
    if (highest == 0) highest = 1;
    std::map<int64_t, at::Tensor> kept;
    for (const auto& ep : index_.episodes) {
      auto it = priorities_.find(ep.serial);
      kept[ep.serial] = it != priorities_.end() ? it->second : at::full({ep.length() - length_ + 1}, highest);
    }
    priorities_ = std::move(kept);
  }

  // Every window's priority, in the index's order.
  at::Tensor all_priorities() const {
    std::vector<at::Tensor> p;
    for (const auto& ep : index_.episodes) p.push_back(priorities_.at(ep.serial));
    return at::cat(p);
  }

  const Episodes& buffer_;
  const int64_t batch_, length_;
  const bool from_first_;
  const double alpha_, beta_;
  NodeRandom rng_;
  bool index_built_ = false;
  Windows index_;
  std::map<int64_t, at::Tensor> priorities_;  // per episode serial: one per window start
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
      .output("index", {"batch"}, "each window's id, for replay.set_priority", DType::Int64)
      .output("weight", {"batch"}, "importance weights (N P(i))^-beta / max (1 when uniform)")
      .param("buffer", ParamType::Block, nullptr, "the replay.episodes block to draw from")
      .param("batch", ParamType::Int, 50, "windows per call", 1)
      .param("length", ParamType::Int, 50, "steps per window", 1)
      .choice("start", {"any", "first"}, "any",
              "any: uniform over all windows; first: windows at an episode's start, the episode uniform")
      .param("priority_alpha", ParamType::Float, 0.0,
             "0: uniform; else P(window) ~ priority^alpha (TD-MPC: 0.6), priorities set by replay.set_priority", 0.0)
      .param("priority_beta", ParamType::Float, 0.4, "importance-weight exponent (TD-MPC: 0.4)", 0.0)
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeSample(const Params& p, BuildContext& ctx) {
  const std::string name = p.s("buffer");
  const auto* buffer = dynamic_cast<const Episodes*>(ctx.node_of(name));
  if (!buffer)
    throw ParamError("buffer", "replay.sample: buffer '" + name + "' is not a replay.episodes block");
  const bool from_first = p.s("start") == "first";
  if (from_first && p.f("priority_alpha") > 0)
    throw ParamError("start", "replay.sample: priorities (priority_alpha > 0) need start \"any\"");
  return std::make_unique<Sample>(*buffer, p.i("batch"), p.i("length"), from_first, p.f("priority_alpha"),
                                  p.f("priority_beta"), ctx.seed());
}

}  // namespace lf::replay
