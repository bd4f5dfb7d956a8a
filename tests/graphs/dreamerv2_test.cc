// graphs/dreamerv2.json and dreamerv2_state.json --preset small end to end: DreamerV2's program
// (prefill, pretraining, then an update every train_every agent steps, target copies, evaluation
// with its video and the open-loop video) runs with finite losses; one update moves the world
// model, the actor and the critic but not the target critic, which the copy flow then makes equal
// to the critic; a run stopped at any moment and resumed continues exactly.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>

#include "graph_runs.h"
#include "plan.h"

namespace dreamerv2_test {

using namespace lf::testing;

const lf::GraphSource kSmall{"graphs/dreamerv2.json", {"small"}, {}};
const lf::GraphSource kStateSmall{"graphs/dreamerv2_state.json", {"small"}, {}};

void expect_runs(const lf::GraphSource& src, const std::string& name, bool open_loop) {
  at::set_num_threads(1);
  const auto dir = fresh_dir(name);
  const auto rows = run_graph(src, dir, {5, "train"});
  // small: 20 agent steps per episode (40 control steps at action repeat 2); 2 prefill episodes,
  // 3 pretraining updates, then 8 iterations of 5 agent steps and one update: a row per episode,
  // an evaluation every 40 agent steps (at 80).
  ASSERT_EQ(rows.size(), 2u);
  const auto& last = rows.back();
  EXPECT_EQ(last["episodes"], 4);
  EXPECT_EQ(last["agent_steps"], 80);
  EXPECT_EQ(last["env_steps"], 160);
  EXPECT_EQ(last["updates"], 3 + 8);
  EXPECT_EQ(last["eval_episodes"], 1);
  for (const char* m : {"model_loss", "obs_nll", "reward_nll", "kl", "model_grad_norm", "actor_loss", "actor_grad_norm",
                        "value_loss", "value_grad_norm", "train_return", "eval_return"}) {
    ASSERT_TRUE(last.contains(m)) << m;
    EXPECT_TRUE(std::isfinite(last[m].get<double>())) << m;
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "videos/eval_step-eval_episodes-1.gif"));
  EXPECT_EQ(std::filesystem::exists(dir / "media/open_loop-openl-160.gif"), open_loop);
}

TEST(Dreamerv2Small, RunsItsProgramWithVideos) { expect_runs(kSmall, "dreamerv2_run", true); }
TEST(Dreamerv2StateSmall, RunsItsProgram) { expect_runs(kStateSmall, "dreamerv2_state_run", false); }

TEST(Dreamerv2Small, AnUpdateLeavesTheTargetCriticAndTheCopyCatchesUp) {
  at::set_num_threads(1);
  nlohmann::json doc = load_repo_graph(kSmall)->json;
  doc["program"] = nlohmann::json::array({doc["program"][0]});  // the prefill only
  lf::Diagnostics d;
  auto g = workspace().load_graph_json(doc, "dreamerv2_parts.json", d);
  ASSERT_TRUE(d.empty()) << d.format("dreamerv2_parts.json");
  lf::Runtime rt(*g, {3, 1, false});
  lf::ProgramRunner(rt, fresh_dir("dreamerv2_parts").string()).run();
  auto weights = [&](const std::string& block) {
    std::vector<at::Tensor> w;
    for (const auto& p : rt.modules().at(block)->parameters()) w.push_back(p.detach().clone());
    return w;
  };
  auto same = [](const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
    for (size_t i = 0; i < a.size(); ++i)
      if (!at::equal(a[i], b[i])) return false;
    return true;
  };
  auto call = [&](const std::string& flow) {
    auto& plan = rt.plan(flow);
    std::vector<const at::Tensor*> ins(plan.num_inputs(), &lf::unconnected());
    std::vector<at::Tensor> outs(plan.num_outputs());
    plan.run(ins.data(), outs.data());
  };
  // The target starts as a copy of the critic (built that way).
  ASSERT_TRUE(same(weights("value"), weights("value_target")));
  std::map<std::string, std::vector<at::Tensor>> before;
  for (const char* b : {"prior", "posterior", "cell", "actor", "value", "value_target"}) before[b] = weights(b);
  call("train");
  for (const char* b : {"prior", "posterior", "cell", "actor", "value"}) EXPECT_FALSE(same(before[b], weights(b))) << b;
  EXPECT_TRUE(same(before["value_target"], weights("value_target")));
  {
    at::NoGradGuard no_grad;
    call("update_target");
  }
  EXPECT_TRUE(same(weights("value"), weights("value_target")));
}

// A stop at any moment: within the prefill, between the 5-step rollouts and updates, within the
// evaluation.
TEST(Dreamerv2Small, ResumesExactlyFromAStopAtAnyMoment) {
  at::set_num_threads(1);
  expect_exact_resume_anywhere(kSmall, "dreamerv2_any", 5, 5);
}

}  // namespace dreamerv2_test
