// graphs/tdmpc.json --preset small end to end: TD-MPC's program (seed episodes, the first planned
// episode and its round of updates, then an episode and one update per agent step per iteration,
// evaluations) runs with finite losses; a run stopped and resumed continues exactly as the
// uninterrupted one (prioritized replay, MPPI's carried plan and the target copies included).
#include <ATen/Parallel.h>

#include <cmath>

#include "graph_runs.h"

namespace tdmpc_test {

using namespace lf::testing;

std::vector<nlohmann::json> run_tdmpc(const std::filesystem::path& dir, std::atomic<bool>* stop = nullptr, int stop_after_rows = 0) {
  return run_graph({"graphs/tdmpc.json", {"small"}, {}}, dir, {5, "train", stop, "train", stop_after_rows});
}

TEST(TdmpcSmall, RunsItsProgram) {
  at::set_num_threads(1);
  const auto rows = run_tdmpc(fresh_dir("tdmpc_run"));
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
  const auto whole = run_tdmpc(fresh_dir("tdmpc_whole"));
  ASSERT_EQ(whole.size(), 4u);
  const auto dir = fresh_dir("tdmpc_resumed");
  std::atomic<bool> stop{false};
  const auto first = run_tdmpc(dir, &stop, 2);
  ASSERT_EQ(first.size(), 2u);
  const auto second = run_tdmpc(dir);
  ASSERT_EQ(second.size(), 2u);
  for (size_t k = 0; k < 2; ++k) {
    auto a = whole[2 + k], b = second[k];
    a.erase("time_s");
    b.erase("time_s");
    EXPECT_EQ(a, b) << "row " << k;
  }
}

}  // namespace tdmpc_test
