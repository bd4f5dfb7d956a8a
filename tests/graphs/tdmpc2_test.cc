// graphs/tdmpc2.json --preset small end to end: TD-MPC2's program (seed episodes, the pretraining
// updates, then one planned agent step and one update per iteration, evaluations) runs with finite
// losses; a run stopped and resumed continues exactly as the uninterrupted one (the carried plan,
// the target Qs, the running scale and every generator included).
#include <ATen/Parallel.h>

#include <cmath>

#include "graph_runs.h"

namespace tdmpc2_test {

using namespace lf::testing;

const lf::GraphSource kSmall{"graphs/tdmpc2.json", {"small"}, {}};

TEST(Tdmpc2Small, RunsItsProgram) {
  at::set_num_threads(1);
  const auto rows = run_graph(kSmall, fresh_dir("tdmpc2_run"), {3, "train"});
  // small: 10 agent steps per episode (40 control steps at action repeat 4), 2 seed episodes and
  // 20 pretraining updates, then 40 iterations of one agent step and one update: a row per
  // episode, an evaluation on 2 environments every 20 agent steps.
  ASSERT_EQ(rows.size(), 4u);
  const auto& last = rows.back();
  EXPECT_EQ(last["episodes"], 6);
  EXPECT_EQ(last["agent_steps"], 60);
  EXPECT_EQ(last["env_steps"], 240);
  EXPECT_EQ(last["updates"], 20 + 40);
  EXPECT_EQ(last["eval_episodes"], 2 * 2);
  for (const char* m : {"loss", "consistency", "reward_loss", "value_loss", "grad_norm", "pi_loss", "pi_scale",
                        "train_return", "eval_return"}) {
    ASSERT_TRUE(last.contains(m)) << m;
    EXPECT_TRUE(std::isfinite(last[m].get<double>())) << m;
  }
}

TEST(Tdmpc2Small, ResumedRunContinuesExactlyLikeTheUninterruptedOne) {
  at::set_num_threads(1);
  expect_exact_resume(kSmall, "tdmpc2", 3, "train", 4, 2);
}

// A stop at any moment: within an episode between the one-step rollouts and updates too.
TEST(Tdmpc2Small, ResumesExactlyFromAStopAtAnyMoment) {
  at::set_num_threads(1);
  expect_exact_resume_anywhere(kSmall, "tdmpc2_any", 3, 5);
}

}  // namespace tdmpc2_test
