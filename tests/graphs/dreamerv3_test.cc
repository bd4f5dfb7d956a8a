// graphs/dreamerv3.json and dreamerv3_state.json --preset small end to end: DreamerV3's program
// (prefill, then an update every train_every agent steps with the slow critic's EMA, evaluation
// with its video and the open-loop video) runs with finite losses; the zero-initialized two-hot
// heads predict zero at the start, an update trains the learned initial state and moves the slow
// critic 2% of the way to the critic; a run stopped at any moment and resumed continues exactly.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "graph_runs.h"

namespace dreamerv3_test {

using namespace lf::testing;

const lf::GraphSource kSmall{"graphs/dreamerv3.json", {"small"}, {}};
const lf::GraphSource kStateSmall{"graphs/dreamerv3_state.json", {"small"}, {}};

const std::vector<std::string> kMetrics = {"model_loss", "obs_nll", "reward_nll", "cont_nll", "kl", "model_grad_norm",
                                           "actor_loss", "actor_grad_norm", "value_loss", "value_grad_norm",
                                           "return_scale", "train_return", "eval_return"};

// 2 prefill episodes and the first update, then 20 iterations of 2 agent steps (3 x 8 replayed
// steps per update at train ratio 12) and one update.
TEST(Dreamerv3Small, RunsItsProgramWithVideos) {
  at::set_num_threads(1);
  expect_small_dreamer_run(kSmall, "dreamerv3_run", 1 + 20, kMetrics, true);
}
TEST(Dreamerv3StateSmall, RunsItsProgram) {
  at::set_num_threads(1);
  expect_small_dreamer_run(kStateSmall, "dreamerv3_state_run", 1 + 20, kMetrics, false);
}

TEST(Dreamerv3Small, ZeroHeadsAnInitialStateThatLearnsAndASlowCritic) {
  at::set_num_threads(1);
  auto run = run_prefill(kStateSmall, "dreamerv3_parts", 3);
  auto& rt = *run.rt;
  // The reward head and the critic start with a zero output layer: uniform logits, decoded to 0.
  for (const char* head : {"reward", "value", "value_target"}) {
    const auto w = rt.modules().at(head)->named_parameters();
    EXPECT_EQ(w["out.weight"].abs().sum().item<float>(), 0.0f) << head;
    EXPECT_EQ(w["out.bias"].abs().sum().item<float>(), 0.0f) << head;
  }
  const auto initial = block_weights(rt, "initial");
  EXPECT_EQ(initial[0].abs().sum().item<float>(), 0.0f);
  call_flow(rt, "train");
  EXPECT_GT((block_weights(rt, "initial")[0] - initial[0]).abs().sum().item<float>(), 0.0f);
  // The slow critic: target <- target + 0.02 (critic - target). (The first step moves only the
  // critic's output layer: the zero layer passes no gradient back.)
  const auto critic = block_weights(rt, "value"), slow = block_weights(rt, "value_target");
  EXPECT_FALSE(at::equal(critic.back(), slow.back()));
  {
    at::NoGradGuard no_grad;
    call_flow(rt, "update_target");
  }
  const auto moved = block_weights(rt, "value_target");
  for (size_t i = 0; i < moved.size(); ++i)
    EXPECT_TRUE(at::allclose(moved[i], slow[i] + 0.02 * (critic[i] - slow[i]), 1e-5, 1e-7)) << i;
}

// A stop at any moment: within the prefill, between the 2-step rollouts and updates, within the
// evaluation.
TEST(Dreamerv3Small, ResumesExactlyFromAStopAtAnyMoment) {
  at::set_num_threads(1);
  expect_exact_resume_anywhere(kSmall, "dreamerv3_any", 5, 5);
}

}  // namespace dreamerv3_test
