// graphs/dreamerv2.json and dreamerv2_state.json --preset small end to end: DreamerV2's program
// (prefill, pretraining, then an update every train_every agent steps, target copies, evaluation
// with its video and the open-loop video) runs with finite losses; one update moves the world
// model, the actor and the critic but not the target critic, which the copy flow then makes equal
// to the critic; a run stopped at any moment and resumed continues exactly.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>

#include "graph_runs.h"

namespace dreamerv2_test {

using namespace lf::testing;

const lf::GraphSource kSmall{"graphs/dreamerv2.json", {"small"}, {}};
const lf::GraphSource kStateSmall{"graphs/dreamerv2_state.json", {"small"}, {}};

const std::vector<std::string> kMetrics = {"model_loss", "obs_nll", "reward_nll", "kl", "model_grad_norm", "actor_loss",
                                           "actor_grad_norm", "value_loss", "value_grad_norm", "train_return", "eval_return"};

// 2 prefill episodes, 3 pretraining updates, then 8 iterations of 5 agent steps and one update.
TEST(Dreamerv2Small, RunsItsProgramWithVideos) {
  at::set_num_threads(1);
  expect_small_dreamer_run(kSmall, "dreamerv2_run", 3 + 8, kMetrics, true);
}
TEST(Dreamerv2StateSmall, RunsItsProgram) {
  at::set_num_threads(1);
  expect_small_dreamer_run(kStateSmall, "dreamerv2_state_run", 3 + 8, kMetrics, false);
}

TEST(Dreamerv2Small, AnUpdateLeavesTheTargetCriticAndTheCopyCatchesUp) {
  at::set_num_threads(1);
  auto run = run_prefill(kSmall, "dreamerv2_parts", 3);
  auto& rt = *run.rt;
  auto same = [](const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
    for (size_t i = 0; i < a.size(); ++i)
      if (!at::equal(a[i], b[i])) return false;
    return true;
  };
  // The target starts as a copy of the critic (built that way).
  ASSERT_TRUE(same(block_weights(rt, "value"), block_weights(rt, "value_target")));
  std::map<std::string, std::vector<at::Tensor>> before;
  for (const char* b : {"prior", "posterior", "cell", "actor", "value", "value_target"}) before[b] = block_weights(rt, b);
  call_flow(rt, "train");
  for (const char* b : {"prior", "posterior", "cell", "actor", "value"}) EXPECT_FALSE(same(before[b], block_weights(rt, b))) << b;
  EXPECT_TRUE(same(before["value_target"], block_weights(rt, "value_target")));
  {
    at::NoGradGuard no_grad;
    call_flow(rt, "update_target");
  }
  EXPECT_TRUE(same(block_weights(rt, "value"), block_weights(rt, "value_target")));
}

// REINFORCE (the reference's actor_grad 'reinforce', for discrete actions; 'both' is a mix): the
// actor's objective reads the log-probabilities of its imagined actions and the target critic's
// baseline, and the update still trains it.
TEST(Dreamerv2StateSmall, ReinforceObjectiveTrainsTheActor) {
  at::set_num_threads(1);
  auto run = run_prefill({"graphs/dreamerv2_state.json", {"small"}, {"vars.reinforce=1"}}, "dreamerv2_reinforce", 3);
  const auto before = block_weights(*run.rt, "actor");
  const auto out = call_flow(*run.rt, "train");
  const int loss = run.rt->plan("train").flow().output_index("actor_loss");
  ASSERT_GE(loss, 0);
  EXPECT_TRUE(std::isfinite(out[static_cast<size_t>(loss)].item<double>()));
  const auto after = block_weights(*run.rt, "actor");
  EXPECT_FALSE(at::equal(before.back(), after.back()));
}

// A stop at any moment: within the prefill, between the 5-step rollouts and updates, within the
// evaluation.
TEST(Dreamerv2Small, ResumesExactlyFromAStopAtAnyMoment) {
  at::set_num_threads(1);
  expect_exact_resume_anywhere(kSmall, "dreamerv2_any", 5, 5);
}

}  // namespace dreamerv2_test
