// graphs/tdmpc.json --preset small end to end: TD-MPC's program (seed episodes, the first planned
// episode and its round of updates, then an episode and one update per agent step per iteration,
// evaluations) runs with finite losses; a run stopped and resumed continues exactly as the
// uninterrupted one (prioritized replay, MPPI's carried plan and the target copies included).
#include <ATen/Parallel.h>

#include <cmath>

#include "graph_runs.h"

namespace tdmpc_test {

using namespace lf::testing;

const lf::GraphSource kSmall{"graphs/tdmpc.json", {"small"}, {}};

TEST(TdmpcSmall, RunsItsProgram) {
  at::set_num_threads(1);
  const auto rows = run_graph(kSmall, fresh_dir("tdmpc_run"), {5, "train"});
  // small: 10 agent steps per episode (40 control steps at action repeat 4), 2 seed episodes, the
  // first planned episode with 20 updates, then 3 iterations of an episode and 10 updates; four
  // evaluations on a vector of 2 environments.
  ASSERT_EQ(rows.size(), 4u);
  const auto& last = rows.back();
  EXPECT_EQ(last["episodes"], 6);
  EXPECT_EQ(last["agent_steps"], 60);
  EXPECT_EQ(last["env_steps"], 240);
  EXPECT_EQ(last["updates"], 20 + 3 * 10);
  EXPECT_EQ(last["eval_episodes"], 4 * 2);
  for (const char* m : {"loss", "consistency", "reward_loss", "value_loss", "grad_norm", "pi_loss", "train_return",
                        "eval_return"}) {
    ASSERT_TRUE(last.contains(m)) << m;
    EXPECT_TRUE(std::isfinite(last[m].get<double>())) << m;
  }
}

TEST(TdmpcSmall, ResumedRunContinuesExactlyLikeTheUninterruptedOne) {
  at::set_num_threads(1);
  expect_exact_resume(kSmall, "tdmpc", 5, "train", 4, 2);
}

// A stop at any moment, inside the planned collection and evaluation rollouts too (issue 17, item 5).
TEST(TdmpcSmall, ResumesExactlyFromAStopAtAnyMoment) {
  at::set_num_threads(1);
  expect_exact_resume_anywhere(kSmall, "tdmpc_any", 5, 5);
}

}  // namespace tdmpc_test
