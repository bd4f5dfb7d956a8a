// graphs/tdmpc2.json --preset small end to end: TD-MPC2's program (seed episodes, the pretraining
// updates, then one planned agent step and one update per iteration, evaluations) runs with finite
// losses; a run stopped and resumed continues exactly as the uninterrupted one (the carried plan,
// the target Qs, the running scale and every generator included).
#include <ATen/Parallel.h>

#include <cmath>

#include "graph_runs.h"

namespace tdmpc2_test {

using namespace lf::testing;

std::vector<nlohmann::json> run_tdmpc2(const std::filesystem::path& dir, std::atomic<bool>* stop = nullptr,
                                       int stop_after_rows = 0) {
  return run_graph({"graphs/tdmpc2.json", {"small"}, {}}, dir, {3, "train", stop, "train", stop_after_rows});
}

TEST(Tdmpc2Small, RunsItsProgram) {
  at::set_num_threads(1);
  const auto rows = run_tdmpc2(fresh_dir("tdmpc2_run"));
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
  const auto whole = run_tdmpc2(fresh_dir("tdmpc2_whole"));
  ASSERT_EQ(whole.size(), 4u);
  const auto dir = fresh_dir("tdmpc2_resumed");
  std::atomic<bool> stop{false};
  const auto first = run_tdmpc2(dir, &stop, 2);
  ASSERT_EQ(first.size(), 2u);
  const auto second = run_tdmpc2(dir);
  ASSERT_EQ(second.size(), 2u);
  for (size_t k = 0; k < 2; ++k) {
    auto a = whole[2 + k], b = second[k];
    a.erase("time_s");
    b.erase("time_s");
    EXPECT_EQ(a, b) << "row " << k;
  }
}

}  // namespace tdmpc2_test
