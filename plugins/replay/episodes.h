// replay.episodes: the experience replay of PlaNet and Dreamer, a store of whole episodes filled one
// agent step at a time from a vector of environments.
//
// Step t of an episode holds obs_t, the action that led to obs_t and the reward received on
// arriving at obs_t. The first step of an episode has no such action or reward: both are stored as
// zeros whatever the caller passes.
//
// Named Inputs (one agent step of every environment):
//   obs     [envs, ...] any dtype   observation (f32 state vector, u8 [H, W, 3] pixels); stored in
//                                   the dtype given, so pixels stay u8
//   action  [envs, A] f32           the action that led to obs (ignored where first = 1)
//   reward  [envs] f32              the reward received on arriving at obs (ignored where first = 1)
//   first   [envs] f32              1: obs starts an episode (an unfinished one of that env is dropped)
//   last    [envs] f32              1: obs ends the episode, which is then committed
// Named Outputs:
//   steps     [] i64   steps in committed episodes
//   episodes  [] i64   committed episodes
// Parameters:
//   capacity  int >= 1, default 1000000   steps kept; past it the oldest whole episodes are dropped
//                                         (the newest episode is always kept)
//
// Shapes and dtypes must stay the same across calls. A step with first = 0 for an environment that
// has no episode under way is an error. Committed episodes are immutable and each field of an episode
// is one contiguous tensor, so a pixel step costs its frame bytes plus action and reward. spec()
// reports capacity, steps, episodes, bytes_per_step (every stored byte over the committed steps) and
// obs_bytes_per_step. save_state writes every committed episode (obs, action and reward concatenated
// over time, with the episode lengths) and each environment's episode under way, which a resumed
// run continues.
//
// Usage in a graph file:
//   "blocks": { "replay": { "type": "replay.episodes", "capacity": 1000000 } }
//   "replay": {"block": "replay", "inputs": {"obs": "env.pixels", "action": "$action",
//              "reward": "env.reward", "first": "env.first", "last": "env.last"}}
// and replay.sample draws training windows from it.
//
// Faithfulness: Dreamer's reference (danijar/dreamer, wrappers.Collect and tools.load_episodes)
// stores whole episodes with a zero action and zero reward at the first step, and trains on windows
// drawn inside single episodes; PlaNet stores whole episodes too. The references keep episodes on
// disk and never drop any (PlaNet) or drop the oldest over a step budget (DreamerV2's `dataset_size`);
// here they live in memory, bounded by `capacity` steps, dropping the oldest whole episodes.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include <ATen/core/Tensor.h>

#include "latentflow/node.h"

namespace lf::replay {

// One committed episode: each field contiguous, time first.
struct Episode {
  at::Tensor obs;      // [L, ...] stored dtype
  at::Tensor action;   // [L, A] f32, zeros at step 0
  at::Tensor reward;   // [L] f32, 0 at step 0
  int64_t serial = 0;  // 0, 1, 2, ... in commit order, kept across eviction and checkpoints
  int64_t length() const { return reward.size(0); }
};

// A consistent snapshot of the episodes long enough for windows of one length, for samplers.
struct Windows {
  uint64_t version = 0;          // Episodes::version() it was taken at
  std::vector<Episode> episodes;  // those with >= length steps, oldest first
  std::vector<int64_t> ends;      // ends[k]: windows in episodes[0..k]; episode j offers L_j - length + 1
  int64_t held = 0, longest = 0;  // every committed episode: count and longest length, for messages
  int64_t count() const { return ends.empty() ? 0 : ends.back(); }
};

class Episodes final : public Node {
 public:
  explicit Episodes(int64_t capacity) : capacity_(capacity) {}

  void run(CallContext& ctx) override;
  nlohmann::json spec() const override;
  void save_state(TensorDict& out) const override;
  void load_state(const TensorDict& in) override;

  // For samplers of this plugin. Safe to call while another thread runs this node.
  Windows windows(int64_t length) const;
  // Changes whenever the committed episodes change.
  uint64_t version() const;

 private:
  // An episode under way for one environment: buffers that grow by doubling, copied out exactly
  // sized on commit.
  struct Pending {
    bool active = false;
    int64_t length = 0;
    at::Tensor obs, action, reward;
  };

  void check_step(const at::Tensor& obs, const at::Tensor& action, const at::Tensor& reward,
                  const at::Tensor& first, const at::Tensor& last);
  void append(Pending& p, const at::Tensor& obs, const at::Tensor& action, const at::Tensor& reward, bool first);
  void commit(Pending& p);
  void evict();

  const int64_t capacity_;
  mutable std::mutex mutex_;  // guards everything below against concurrent samplers
  std::deque<Episode> episodes_;
  int64_t steps_ = 0;
  int64_t next_serial_ = 0;
  uint64_t version_ = 0;
  // The step layout, fixed by the first call or by load_state.
  bool known_ = false;
  std::vector<int64_t> obs_shape_;  // one step's obs, without the envs dim
  at::ScalarType obs_dtype_ = at::kFloat;
  int64_t action_dim_ = 0;
  std::vector<Pending> pending_;  // one per environment; sized by the first call
};

NodeSchema EpisodesSchema();
std::unique_ptr<Node> MakeEpisodes(const Params& p, BuildContext& ctx);

}  // namespace lf::replay
