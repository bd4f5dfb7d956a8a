#include "episodes.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

namespace lf::replay {
namespace {

enum In { kObs, kAction, kReward, kFirst, kLast };
enum Out { kSteps, kEpisodes };

constexpr int64_t kInitialPending = 64;  // steps; pending buffers double from here

std::vector<int64_t> drop_first(at::IntArrayRef s) { return {s.begin() + 1, s.end()}; }

// What a pending buffer holds for `rows` steps of a field whose one step has shape `step`.
at::Tensor rows_like(int64_t rows, const std::vector<int64_t>& step, at::ScalarType dtype) {
  std::vector<int64_t> shape{rows};
  shape.insert(shape.end(), step.begin(), step.end());
  return at::empty(shape, at::TensorOptions().dtype(dtype));
}

at::Tensor grow(const at::Tensor& t, int64_t length) {
  std::vector<int64_t> shape(t.sizes().begin(), t.sizes().end());
  shape[0] *= 2;
  auto bigger = at::empty(shape, t.options());
  bigger.narrow(0, 0, length).copy_(t.narrow(0, 0, length));
  return bigger;
}

int64_t bytes(const at::Tensor& t) { return static_cast<int64_t>(t.storage().nbytes()); }

}  // namespace

void Episodes::check_step(const at::Tensor& obs, const at::Tensor& action, const at::Tensor& reward,
                          const at::Tensor& first, const at::Tensor& last) {
  if (obs.dim() < 1) throw std::invalid_argument("replay.episodes: obs must be [envs, ...], got a scalar");
  const int64_t envs = obs.size(0);
  auto check_vec = [&](const at::Tensor& t, const char* name) {
    if (t.dim() != 1 || t.size(0) != envs)
      throw std::invalid_argument(std::string("replay.episodes: ") + name + " must be [envs] = [" +
                                  std::to_string(envs) + "] like obs, got " + shape_text(t.sizes()));
  };
  check_vec(reward, "reward");
  check_vec(first, "first");
  check_vec(last, "last");
  if (action.dim() != 2 || action.size(0) != envs)
    throw std::invalid_argument("replay.episodes: action must be [envs, A] with envs = " + std::to_string(envs) +
                                " like obs, got " + shape_text(action.sizes()));
  const auto step = drop_first(obs.sizes());
  if (!known_) {
    obs_shape_ = step;
    obs_dtype_ = obs.scalar_type();
    action_dim_ = action.size(1);
    known_ = true;
  } else if (step != obs_shape_ || obs.scalar_type() != obs_dtype_ || action.size(1) != action_dim_) {
    throw std::invalid_argument("replay.episodes: a step must keep the layout of the stored ones: obs " +
                                shape_text(obs_shape_) + " " + at::toString(obs_dtype_) + ", action [" +
                                std::to_string(action_dim_) + "]; got obs " + shape_text(step) + " " +
                                at::toString(obs.scalar_type()) + ", action [" + std::to_string(action.size(1)) + "]");
  }
  if (pending_.empty()) {
    pending_.resize(envs);
  } else if (static_cast<int64_t>(pending_.size()) != envs) {
    throw std::invalid_argument("replay.episodes: called with " + std::to_string(envs) + " environments, before with " +
                                std::to_string(pending_.size()));
  }
}

void Episodes::append(Pending& p, const at::Tensor& obs, const at::Tensor& action, const at::Tensor& reward,
                      bool first) {
  if (!p.obs.defined()) {
    p.obs = rows_like(kInitialPending, obs_shape_, obs_dtype_);
    p.action = rows_like(kInitialPending, {action_dim_}, at::kFloat);
    p.reward = rows_like(kInitialPending, {}, at::kFloat);
  } else if (p.length == p.obs.size(0)) {
    p.obs = grow(p.obs, p.length);
    p.action = grow(p.action, p.length);
    p.reward = grow(p.reward, p.length);
  }
  p.obs[p.length].copy_(obs);
  if (first) {
    p.action[p.length].zero_();
    p.reward[p.length].zero_();
  } else {
    p.action[p.length].copy_(action);
    p.reward[p.length].copy_(reward);
  }
  ++p.length;
}

void Episodes::commit(Pending& p) {
  // Exactly sized copies: the pending buffers are reused for the environment's next episode.
  episodes_.push_back({p.obs.narrow(0, 0, p.length).clone(), p.action.narrow(0, 0, p.length).clone(),
                       p.reward.narrow(0, 0, p.length).clone(), next_serial_++});
  steps_ += p.length;
  p.active = false;
  p.length = 0;
  evict();
  ++version_;
}

void Episodes::evict() {
  while (steps_ > capacity_ && episodes_.size() > 1) {
    steps_ -= episodes_.front().length();
    episodes_.pop_front();
  }
}

void Episodes::run(CallContext& ctx) {
  const auto cpu = [](const at::Tensor& t) { return t.detach().to(at::kCPU); };
  const at::Tensor obs = cpu(ctx.in(kObs)), action = cpu(ctx.in(kAction)).to(at::kFloat),
                   reward = cpu(ctx.in(kReward)).to(at::kFloat), first = cpu(ctx.in(kFirst)).to(at::kFloat),
                   last = cpu(ctx.in(kLast)).to(at::kFloat);
  std::lock_guard<std::mutex> lock(mutex_);
  check_step(obs, action, reward, first, last);
  const auto f = first.contiguous(), l = last.contiguous();
  const float *fp = f.data_ptr<float>(), *lp = l.data_ptr<float>();
  // Every environment is checked before any is touched, so an error leaves the buffer as it was.
  for (size_t e = 0; e < pending_.size(); ++e)
    if (fp[e] == 0.f && !pending_[e].active)
      throw std::invalid_argument("replay.episodes: environment " + std::to_string(e) +
                                  " sent a step with first = 0 but has no episode under way (its first step "
                                  "was never seen: feed every step from an episode's start)");
  for (size_t e = 0; e < pending_.size(); ++e) {
    Pending& p = pending_[e];
    if (fp[e] != 0.f) {
      p.active = true;  // an unfinished episode of this environment is dropped
      p.length = 0;
    }
    const auto i = static_cast<int64_t>(e);
    append(p, obs[i], action[i], reward[i], fp[e] != 0.f);
    if (lp[e] != 0.f) commit(p);
  }
  ctx.set(kSteps, at::scalar_tensor(steps_, at::kLong));
  ctx.set(kEpisodes, at::scalar_tensor(static_cast<int64_t>(episodes_.size()), at::kLong));
}

nlohmann::json Episodes::spec() const {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t stored = 0;
  for (const auto& ep : episodes_) stored += bytes(ep.obs) + bytes(ep.action) + bytes(ep.reward);
  int64_t obs_bytes = 0;
  if (known_) {
    obs_bytes = static_cast<int64_t>(at::elementSize(obs_dtype_));
    for (auto d : obs_shape_) obs_bytes *= d;
  }
  nlohmann::json j = {{"capacity", capacity_},
                      {"steps", steps_},
                      {"episodes", episodes_.size()},
                      {"bytes_per_step", steps_ > 0 ? static_cast<double>(stored) / steps_ : 0.0},
                      {"obs_bytes_per_step", obs_bytes}};
  if (known_) {
    j["obs_shape"] = obs_shape_;
    j["obs_dtype"] = at::toString(obs_dtype_);
    j["action_dim"] = action_dim_;
  }
  return j;
}

void Episodes::save_state(TensorDict& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<int64_t> lengths, serials;
  std::vector<at::Tensor> obs, action, reward;
  for (const auto& ep : episodes_) {
    lengths.push_back(ep.length());
    serials.push_back(ep.serial);
    obs.push_back(ep.obs);
    action.push_back(ep.action);
    reward.push_back(ep.reward);
  }
  out["lengths"] = at::tensor(lengths, at::kLong);
  out["serials"] = at::tensor(serials, at::kLong);
  out["next_serial"] = at::scalar_tensor(next_serial_, at::kLong);
  if (!known_) return;  // never ran: there is no layout to save
  out["obs"] = obs.empty() ? rows_like(0, obs_shape_, obs_dtype_) : at::cat(obs);
  out["action"] = action.empty() ? rows_like(0, {action_dim_}, at::kFloat) : at::cat(action);
  out["reward"] = reward.empty() ? rows_like(0, {}, at::kFloat) : at::cat(reward);
  // The episodes under way: per environment, whether one is and its steps so far.
  std::vector<int64_t> under_way;
  for (size_t e = 0; e < pending_.size(); ++e) {
    const Pending& p = pending_[e];
    under_way.push_back(p.active ? p.length : -1);
    if (!p.active) continue;
    const std::string k = std::to_string(e);
    out["pending.obs." + k] = p.obs.narrow(0, 0, p.length).clone();
    out["pending.action." + k] = p.action.narrow(0, 0, p.length).clone();
    out["pending.reward." + k] = p.reward.narrow(0, 0, p.length).clone();
  }
  out["pending"] = at::tensor(under_way, at::kLong);
}

void Episodes::load_state(const TensorDict& in) {
  auto bad = [](const std::string& why) { return std::invalid_argument("replay.episodes: load_state: " + why); };
  const at::Tensor lengths = state_at(in, "lengths").to(at::kCPU);
  if (lengths.scalar_type() != at::kLong || lengths.dim() != 1) throw bad("'lengths' must be a 1-d i64 tensor");
  if (lengths.numel() > 0 && lengths.min().item<int64_t>() < 1) throw bad("an episode length is < 1");
  const int64_t total = lengths.sum().item<int64_t>();
  // Checkpoints written before episodes had serials: number them in order.
  const at::Tensor serials =
      in.count("serials") ? in.at("serials").to(at::kCPU) : at::arange(lengths.numel(), at::kLong);
  if (serials.scalar_type() != at::kLong || serials.dim() != 1 || serials.numel() != lengths.numel())
    throw bad("'serials' must be a 1-d i64 tensor with one entry per episode");
  const int64_t next_serial = in.count("next_serial") ? in.at("next_serial").item<int64_t>() : lengths.numel();
  if (serials.numel() > 0 && (serials.min().item<int64_t>() < 0 || serials.max().item<int64_t>() >= next_serial))
    throw bad("'serials' must lie in [0, next_serial)");

  std::lock_guard<std::mutex> lock(mutex_);
  const bool has_layout = in.count("obs") && in.count("action") && in.count("reward");
  if (!has_layout) {
    if (total > 0) throw bad("'lengths' lists episodes but 'obs', 'action' or 'reward' is missing");
    episodes_.clear();
    steps_ = 0;
    next_serial_ = next_serial;
    pending_.clear();
    ++version_;
    return;
  }
  const at::Tensor obs = in.at("obs").to(at::kCPU), action = in.at("action").to(at::kCPU),
                   reward = in.at("reward").to(at::kCPU);
  if (obs.dim() < 1 || obs.size(0) != total)
    throw bad("'obs' must hold " + std::to_string(total) + " steps (the sum of 'lengths'), got " + shape_text(obs.sizes()));
  if (action.dim() != 2 || action.size(0) != total || action.scalar_type() != at::kFloat)
    throw bad("'action' must be f32 [" + std::to_string(total) + ", A], got " + shape_text(action.sizes()) + " " +
              at::toString(action.scalar_type()));
  if (reward.dim() != 1 || reward.size(0) != total || reward.scalar_type() != at::kFloat)
    throw bad("'reward' must be f32 [" + std::to_string(total) + "], got " + shape_text(reward.sizes()) + " " +
              at::toString(reward.scalar_type()));
  const auto step = drop_first(obs.sizes());
  if (known_ && (step != obs_shape_ || obs.scalar_type() != obs_dtype_ || action.size(1) != action_dim_))
    throw bad("the saved steps have obs " + shape_text(step) + " " + at::toString(obs.scalar_type()) + ", action [" +
              std::to_string(action.size(1)) + "], this buffer stores obs " + shape_text(obs_shape_) + " " +
              at::toString(obs_dtype_) + ", action [" + std::to_string(action_dim_) + "]");

  obs_shape_ = step;
  obs_dtype_ = obs.scalar_type();
  action_dim_ = action.size(1);
  known_ = true;
  episodes_.clear();
  pending_.clear();
  steps_ = 0;
  const auto* len = lengths.data_ptr<int64_t>();
  const auto* serial = serials.data_ptr<int64_t>();
  for (int64_t k = 0, start = 0; k < lengths.numel(); start += len[k], ++k) {
    episodes_.push_back({obs.narrow(0, start, len[k]).clone(), action.narrow(0, start, len[k]).clone(),
                         reward.narrow(0, start, len[k]).clone(), serial[k]});
    steps_ += len[k];
  }
  next_serial_ = next_serial;
  evict();
  ++version_;
  // Checkpoints written before episodes under way were saved have none: those start afresh.
  if (!in.count("pending")) return;
  const at::Tensor under_way = in.at("pending").to(at::kCPU);
  if (under_way.scalar_type() != at::kLong || under_way.dim() != 1) throw bad("'pending' must be a 1-d i64 tensor");
  pending_.resize(static_cast<size_t>(under_way.numel()));
  for (size_t e = 0; e < pending_.size(); ++e) {
    const int64_t length = under_way[static_cast<int64_t>(e)].item<int64_t>();
    if (length < 0) continue;
    const std::string k = std::to_string(e);
    const at::Tensor o = state_at(in, "pending.obs." + k), a = state_at(in, "pending.action." + k),
                     r = state_at(in, "pending.reward." + k);
    if (length == 0 || o.size(0) != length || a.size(0) != length || r.size(0) != length ||
        drop_first(o.sizes()) != obs_shape_ || o.scalar_type() != obs_dtype_ || a.dim() != 2 || a.size(1) != action_dim_)
      throw bad("environment " + k + "'s episode under way does not fit the stored steps' layout");
    Pending& p = pending_[e];
    const int64_t rows = std::max(kInitialPending, length);
    p.obs = rows_like(rows, obs_shape_, obs_dtype_);
    p.action = rows_like(rows, {action_dim_}, at::kFloat);
    p.reward = rows_like(rows, {}, at::kFloat);
    p.obs.narrow(0, 0, length).copy_(o);
    p.action.narrow(0, 0, length).copy_(a);
    p.reward.narrow(0, 0, length).copy_(r);
    p.length = length;
    p.active = true;
  }
}

Windows Episodes::windows(int64_t length) const {
  std::lock_guard<std::mutex> lock(mutex_);
  Windows w;
  w.version = version_;
  w.held = static_cast<int64_t>(episodes_.size());
  int64_t count = 0;
  for (const auto& ep : episodes_) {
    w.longest = std::max(w.longest, ep.length());
    if (ep.length() < length) continue;
    count += ep.length() - length + 1;
    w.episodes.push_back(ep);
    w.ends.push_back(count);
  }
  return w;
}

uint64_t Episodes::version() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return version_;
}

NodeSchema EpisodesSchema() {
  return SchemaBuilder("replay.episodes")
      .category("replay")
      .doc("Episode replay: stores one agent step per environment per call, commits whole episodes")
      .input("obs", {"envs", "..."}, "observation of each environment (stored in its dtype: pixels stay u8)",
             DType::Any)
      .input("action", {"envs", "*"}, "the action that led to obs (stored as 0 where first = 1)")
      .input("reward", {"envs"}, "the reward received on arriving at obs (stored as 0 where first = 1)")
      .input("first", {"envs"}, "1 where obs starts an episode")
      .input("last", {"envs"}, "1 where obs ends an episode (commits it)")
      .output("steps", {}, "steps in committed episodes", DType::Int64)
      .output("episodes", {}, "committed episodes", DType::Int64)
      .param("capacity", ParamType::Int, 1000000, "steps kept; the oldest whole episodes are dropped past it", 1)
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeEpisodes(const Params& p, BuildContext&) {
  return std::make_unique<Episodes>(p.i("capacity"));
}

}  // namespace lf::replay
