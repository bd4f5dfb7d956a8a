// replay.sample: a training batch of fixed-length windows drawn from a replay.episodes block.
//
// Every committed episode of L >= length steps offers its L - length + 1 windows; a call draws
// `batch` windows uniformly (with replacement) from all of them, so every stored step is equally
// likely to be trained on whatever the episode lengths. Windows never cross episodes.
//
// Named Inputs: none.
// Named Outputs:
//   obs     [batch, length, ...] dtype as stored (u8 pixels stay u8: preprocess after sampling)
//   action  [batch, length, A] f32   the action that led to each obs (0 at an episode's first step)
//   reward  [batch, length] f32      the reward received on arriving at each obs (0 at a first step)
//   first   [batch, length] f32      1 where the step starts an episode (only ever at t = 0)
//   index   [batch] i64              each window's id (episode serial * 2^32 + start), for
//                                    replay.set_priority
//   weight  [batch] f32              importance weights (N P(i))^-beta / their max (1 when uniform)
// Parameters:
//   buffer  block (required)          the replay.episodes block to draw from
//   batch   int >= 1, default 50      windows per call
//   length  int >= 1, default 50      steps per window
//   start   "any" (default) | "first"  first: every window starts an episode, the episode drawn
//                                      uniformly (World Models' dream starts from initial frames)
//   priority_alpha  float >= 0, 0     0: uniform. Else prioritized replay: P(i) ~ p_i^alpha, a new
//                                     episode's windows start at the highest priority held (1 at
//                                     first), replay.set_priority sets them from the losses
//   priority_beta   float >= 0, 0.4   the importance weights' exponent
// Stateful: the windows are drawn from the node's own generator, seeded from the block's seed, and
// saved with checkpoints, with the priorities. Drawing before any episode holds `length` steps is
// an error.
//
// Usage in a graph file:
//   "blocks": { "replay": { "type": "replay.episodes" },
//               "batch": { "type": "replay.sample", "buffer": "replay", "batch": 50, "length": 50 } }
//   "data": {"block": "batch"}   then "data.obs", "data.action", ...
//
// Faithfulness: PlaNet and Dreamer train on batches of 50 windows of 50 steps (the defaults).
// Dreamer's reference (tools.load_episodes) picks an episode uniformly, then a start uniformly in
// [0, L - length), skipping episodes of L <= length: that never draws an episode's last window, and
// weighs the steps of short episodes more. Drawing uniformly over all windows fixes both; with the
// equal-length episodes of the control suite it is the same distribution up to that last window.
// Priorities follow nicklashansen/tdmpc's ReplayBuffer (alpha 0.6, beta 0.4, new steps at the
// buffer's max priority, the last H steps of an episode never drawn: here they start no window,
// weights normalized by the batch's max); it draws without replacement once its buffer is full,
// this node always with replacement.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::replay {

NodeSchema SampleSchema();
std::unique_ptr<Node> MakeSample(const Params& p, BuildContext& ctx);

}  // namespace lf::replay
