// graphs/world_models.json --preset small end to end: World Models' four phases (random rollouts into the
// replay, VAE updates, MDN-RNN updates on the VAE's latents, CMA-ES generations of the controller)
// all run and log, and a run stopped inside any phase and resumed from its checkpoint continues
// exactly as the uninterrupted run.
#include <ATen/Parallel.h>

#include <cmath>
#include <map>
#include <string>

#include "graph_runs.h"

namespace {

using namespace lf::testing;

std::vector<nlohmann::json> run_world_models(const std::filesystem::path& dir, std::atomic<bool>* stop = nullptr,
                                    const std::string& stop_label = "", int stop_after = 0,
                                    const std::vector<std::string>& sets = {}) {
  return run_graph({"graphs/world_models.json", {"small"}, sets}, dir, {5, "", stop, stop_label, stop_after});
}

std::map<std::string, int> count_labels(const std::vector<nlohmann::json>& rows) {
  std::map<std::string, int> n;
  for (const auto& r : rows) ++n[r["label"].get<std::string>()];
  return n;
}

TEST(WorldModelsSmall, RunsEveryPhase) {
  at::set_num_threads(1);
  const auto dir = fresh_dir("wm_phases");
  const auto rows = run_world_models(dir);
  // 2 random episodes, 3 VAE updates, 3 MDN-RNN updates, 4 generations, each logged once, then the
  // evolved controller's evaluation.
  EXPECT_EQ(count_labels(rows), (std::map<std::string, int>{{"collect", 2}, {"vae", 3}, {"mdn", 3}, {"es", 4}, {"final", 1}}));
  ASSERT_EQ(rows.size(), 13u);
  const auto& last = rows.back();
  // Phase 1: 2 episodes of 80 control steps at action repeat 8. The generations' environments
  // are stepped inside a flow's scan, which counts nothing.
  EXPECT_EQ(last["episodes"], 2);
  EXPECT_EQ(last["env_steps"], 2 * 80);
  EXPECT_EQ(last["agent_steps"], 2 * 10);
  EXPECT_EQ(last["vae_updates"], 3);
  EXPECT_EQ(last["mdn_updates"], 3);
  EXPECT_EQ(last["generations"], 4);
  for (const char* m : {"random_return", "vae_loss", "vae_recon", "vae_kl", "vae_grad_norm", "mdn_loss", "mdn_nll",
                        "mdn_grad_norm", "fitness_mean", "fitness_max", "best_fitness", "es_sigma", "controller_return"}) {
    ASSERT_TRUE(last.contains(m)) << m;
    EXPECT_TRUE(std::isfinite(last[m].get<double>())) << m;
  }
  // The VAE's loss is its reconstruction error plus the KL floored at 0.5 nats x 8 latents.
  for (const auto& r : rows)
    if (r["label"] == "vae") EXPECT_GE(r["vae_loss"].get<double>(), r["vae_recon"].get<double>() + 4.0 - 1e-3);
  // best_fitness is the best candidate told so far: the max over the generations' best; each
  // generation's mean is at most its max; the returns of cartpole_swingup are >= 0.
  double best = -INFINITY;
  for (const auto& r : rows) {
    if (r["label"] != "es") continue;
    best = std::max(best, r["fitness_max"].get<double>());
    EXPECT_FLOAT_EQ(r["best_fitness"].get<float>(), static_cast<float>(best));
    EXPECT_LE(r["fitness_mean"].get<double>(), r["fitness_max"].get<double>());
    EXPECT_GE(r["fitness_mean"].get<double>(), 0.0);
    EXPECT_GT(r["es_sigma"].get<double>(), 0.0);
  }
  EXPECT_GE(last["controller_return"].get<double>(), 0.0);
  EXPECT_TRUE(std::filesystem::exists(dir / "checkpoint.pt"));
  EXPECT_EQ(read_rows(dir / "metrics.jsonl").size(), 13u);
}

// The alternative phase 4 inside the dream: candidates scored by M's predicted rewards over
// rollouts it samples at a temperature, from V's latents of episode starts; the evolved controller
// is then evaluated in the real environment as before.
TEST(WorldModelsSmall, EvolvesInsideTheDream) {
  at::set_num_threads(1);
  const auto rows = run_world_models(fresh_dir("wm_dream"), nullptr, "", 0, {"program.6.do.0.call=dream_generation"});
  EXPECT_EQ(count_labels(rows), (std::map<std::string, int>{{"collect", 2}, {"vae", 3}, {"mdn", 3}, {"es", 4}, {"final", 1}}));
  double best = -INFINITY;
  for (const auto& r : rows) {
    if (r["label"] != "es") continue;
    best = std::max(best, r["fitness_max"].get<double>());
    EXPECT_TRUE(std::isfinite(r["fitness_mean"].get<double>()));
    EXPECT_FLOAT_EQ(r["best_fitness"].get<float>(), static_cast<float>(best));
  }
  EXPECT_TRUE(std::isfinite(rows.back()["controller_return"].get<double>()));
}

// Every row after the interruption equals the uninterrupted run's row at the same position
// (wall time aside): the next update or generation is the one the whole run made.
void expect_resumes_exactly(const std::string& stop_label, int stop_after) {
  at::set_num_threads(1);
  const auto whole = run_world_models(fresh_dir("wm_whole"));
  ASSERT_EQ(whole.size(), 13u);
  const auto dir = fresh_dir("wm_resumed_" + stop_label);
  std::atomic<bool> stop{false};
  const auto first = run_world_models(dir, &stop, stop_label, stop_after);
  ASSERT_LT(first.size(), whole.size());
  const auto second = run_world_models(dir);
  ASSERT_EQ(first.size() + second.size(), whole.size());
  for (size_t i = 0; i < second.size(); ++i) {
    auto a = whole[first.size() + i], b = second[i];
    a.erase("time_s");
    b.erase("time_s");
    EXPECT_EQ(a, b) << "row " << first.size() + i;
  }
  EXPECT_EQ(read_rows(dir / "metrics.jsonl").size(), whole.size());  // nothing logged twice
}

TEST(WorldModelsSmall, ResumesInsideTheVaePhase) { expect_resumes_exactly("vae", 1); }

TEST(WorldModelsSmall, ResumesInsideTheMdnPhase) { expect_resumes_exactly("mdn", 2); }

TEST(WorldModelsSmall, ResumesBetweenGenerations) { expect_resumes_exactly("es", 1); }

// A stop at any moment: within the random rollouts and the evolution's episodes too.
TEST(WorldModelsSmall, ResumesExactlyFromAStopAtAnyMoment) {
  at::set_num_threads(1);
  expect_exact_resume_anywhere({"graphs/world_models.json", {"small"}, {}}, "wm_any", 5, 5);
}

}  // namespace
