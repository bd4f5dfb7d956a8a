// graphs/dreamerv3.json and dreamerv3_state.json --preset small end to end: DreamerV3's program
// (prefill, then an update every train_every agent steps with the slow critic's EMA, evaluation
// with its video and the open-loop video) runs with finite losses; the zero-initialized two-hot
// heads predict zero at the start, an update trains the learned initial state and moves the slow
// critic 2% of the way to the critic; a run stopped at any moment and resumed continues exactly.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>

#include "graph_runs.h"
#include "plan.h"

namespace dreamerv3_test {

using namespace lf::testing;

const lf::GraphSource kSmall{"graphs/dreamerv3.json", {"small"}, {}};
const lf::GraphSource kStateSmall{"graphs/dreamerv3_state.json", {"small"}, {}};

void expect_runs(const lf::GraphSource& src, const std::string& name, bool open_loop) {
  at::set_num_threads(1);
  const auto dir = fresh_dir(name);
  const auto rows = run_graph(src, dir, {5, "train"});
  // small: 20 agent steps per episode (40 control steps at action repeat 2); 2 prefill episodes and
  // the first update, then 20 iterations of 2 agent steps (3 x 8 replayed steps per update at train
  // ratio 12) and one update: a row per episode, an evaluation every 40 agent steps (at 80).
  ASSERT_EQ(rows.size(), 2u);
  const auto& last = rows.back();
  EXPECT_EQ(last["episodes"], 4);
  EXPECT_EQ(last["agent_steps"], 80);
  EXPECT_EQ(last["env_steps"], 160);
  EXPECT_EQ(last["updates"], 1 + 20);
  EXPECT_EQ(last["eval_episodes"], 1);
  for (const char* m : {"model_loss", "obs_nll", "reward_nll", "cont_nll", "kl", "model_grad_norm", "actor_loss",
                        "actor_grad_norm", "value_loss", "value_grad_norm", "return_scale", "train_return", "eval_return"}) {
    ASSERT_TRUE(last.contains(m)) << m;
    EXPECT_TRUE(std::isfinite(last[m].get<double>())) << m;
  }
  EXPECT_GE(last["return_scale"].get<double>(), 1.0);  // max(1, S)
  EXPECT_TRUE(std::filesystem::exists(dir / "videos/eval_step-eval_episodes-1.gif"));
  EXPECT_EQ(std::filesystem::exists(dir / "media/open_loop-openl-160.gif"), open_loop);
}

TEST(Dreamerv3Small, RunsItsProgramWithVideos) { expect_runs(kSmall, "dreamerv3_run", true); }
TEST(Dreamerv3StateSmall, RunsItsProgram) { expect_runs(kStateSmall, "dreamerv3_state_run", false); }

TEST(Dreamerv3Small, ZeroHeadsAnInitialStateThatLearnsAndASlowCritic) {
  at::set_num_threads(1);
  nlohmann::json doc = load_repo_graph(kStateSmall)->json;
  doc["program"] = nlohmann::json::array({doc["program"][0]});  // the prefill only
  lf::Diagnostics d;
  auto g = workspace().load_graph_json(doc, "dreamerv3_parts.json", d);
  ASSERT_TRUE(d.empty()) << d.format("dreamerv3_parts.json");
  lf::Runtime rt(*g, {3, 1, false});
  lf::ProgramRunner(rt, fresh_dir("dreamerv3_parts").string()).run();
  auto weights = [&](const std::string& block) {
    std::vector<at::Tensor> w;
    for (const auto& p : rt.modules().at(block)->parameters()) w.push_back(p.detach().clone());
    return w;
  };
  auto call = [&](const std::string& flow) {
    auto& plan = rt.plan(flow);
    std::vector<const at::Tensor*> ins(plan.num_inputs(), &lf::unconnected());
    std::vector<at::Tensor> outs(plan.num_outputs());
    plan.run(ins.data(), outs.data());
  };
  // The reward head and the critic start with a zero output layer: uniform logits, decoded to 0.
  for (const char* head : {"reward", "value", "value_target"}) {
    const auto w = rt.modules().at(head)->named_parameters();
    EXPECT_EQ(w["out.weight"].abs().sum().item<float>(), 0.0f) << head;
    EXPECT_EQ(w["out.bias"].abs().sum().item<float>(), 0.0f) << head;
  }
  const auto initial = weights("initial");
  EXPECT_EQ(initial[0].abs().sum().item<float>(), 0.0f);
  call("train");
  EXPECT_GT((weights("initial")[0] - initial[0]).abs().sum().item<float>(), 0.0f);
  // The slow critic: target <- target + 0.02 (critic - target).
  // (The first step moves only the critic's output layer: the zero layer passes no gradient back.)
  const auto critic = weights("value"), slow = weights("value_target");
  EXPECT_FALSE(at::equal(critic.back(), slow.back()));
  {
    at::NoGradGuard no_grad;
    call("update_target");
  }
  const auto moved = weights("value_target");
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
