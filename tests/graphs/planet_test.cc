// graphs/planet.json --preset small end to end: PlaNet's program (seed episodes, updates, planned
// collection, evaluation, checkpoints) runs, and a run stopped and resumed from its checkpoint
// continues exactly as the uninterrupted run (issue: "checkpoint then resume gives the identical
// next update with a fixed seed").
#include <ATen/Parallel.h>

#include "graph_runs.h"

namespace {

using namespace lf::testing;

// Four iterations, checkpoints every two; logged every iteration.
const std::vector<std::string> kFour = {"program.1.repeat=4"};

std::vector<nlohmann::json> run_all(const std::filesystem::path& dir, std::atomic<bool>* stop = nullptr, int stop_after_rows = 0) {
  return run_graph({"graphs/planet.json", {"small"}, kFour}, dir, {7, "train", stop, "train", stop_after_rows});
}

TEST(PlanetSmall, RunsItsProgramAndCounts) {
  at::set_num_threads(1);
  const auto dir = fresh_dir("planet_counts");
  const auto rows = run_all(dir);
  ASSERT_EQ(rows.size(), 4u);
  const auto& last = rows.back();
  // 2 seed + 4 collected episodes of 80 control steps at action repeat 8; 2 evaluation episodes.
  EXPECT_EQ(last["episodes"], 6);
  EXPECT_EQ(last["env_steps"], 6 * 80);
  EXPECT_EQ(last["agent_steps"], 6 * 10);
  EXPECT_EQ(last["updates"], 8);
  EXPECT_EQ(last["eval_episodes"], 2);
  for (const char* m : {"loss", "obs_nll", "reward_nll", "kl", "train_return", "eval_return"})
    EXPECT_TRUE(last.contains(m)) << m;
  EXPECT_TRUE(std::filesystem::exists(dir / "checkpoint.pt"));
  EXPECT_EQ(read_rows(dir / "metrics.jsonl").size(), 2u + 4u);
}

TEST(PlanetSmall, ResumedRunContinuesExactlyLikeTheUninterruptedOne) {
  at::set_num_threads(1);
  const auto whole = run_all(fresh_dir("planet_whole"));
  ASSERT_EQ(whole.size(), 4u);

  const auto dir = fresh_dir("planet_resumed");
  std::atomic<bool> stop{false};
  const auto first = run_all(dir, &stop, 2);  // stops at the boundary after the 2nd log, with a checkpoint
  ASSERT_EQ(first.size(), 2u);
  const auto second = run_all(dir);
  ASSERT_EQ(second.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const auto& a = whole[2 + i];
    const auto& b = second[i];
    EXPECT_EQ(a["updates"], b["updates"]);
    EXPECT_EQ(a["env_steps"], b["env_steps"]);
    for (const char* m : {"loss", "obs_nll", "reward_nll", "kl", "grad_norm", "train_return"})
      EXPECT_EQ(a[m].get<double>(), b[m].get<double>()) << m << " at update " << a["updates"];
  }
  // The metrics file holds each row once: nothing logged twice across the interruption.
  EXPECT_EQ(read_rows(dir / "metrics.jsonl").size(), 2u + 4u);
}

}  // namespace

namespace {

TEST(PlanetOvershootingSmall, TrainsWithLatentOvershooting) {
  at::set_num_threads(1);
  auto g = load_repo_graph(lf::GraphSource{"graphs/planet_overshooting.json", {"small"}, {}});
  lf::Runtime rt(*g, {3, 1, false});
  const auto dir = fresh_dir("planet_os");
  lf::ProgramRunner runner(rt, dir.string());
  runner.run();
  const auto rows = read_rows(dir / "metrics.jsonl");
  ASSERT_EQ(rows.size(), 2u + 3u);
  EXPECT_GT(rows.back()["kl"].get<double>(), 0.0);
  EXPECT_EQ(rows.back()["updates"], 6);
}

// A stop at any moment, between a collection or evaluation rollout's steps too (issue 17, item 5:
// such stops used to abandon the episodes under way and resume differently).
TEST(PlanetSmall, ResumesExactlyFromAStopAtAnyMoment) {
  at::set_num_threads(1);
  expect_exact_resume_anywhere({"graphs/planet.json", {"small"}, kFour}, "planet_any", 7, 6);
}

}  // namespace
