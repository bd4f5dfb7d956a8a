// graphs/dreamer.json --preset small end to end: Dreamer's program (prefill, updates that learn the world
// model and then the actor and value in imagination, collection with the actor, evaluation with its
// video, the open-loop prediction video) runs; the three optimizers touch only their own blocks;
// a run stopped and resumed continues exactly as the uninterrupted one.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>

#include "graph_runs.h"
#include "plan.h"

namespace {

using namespace lf::testing;

std::vector<nlohmann::json> run_dreamer(const std::filesystem::path& dir, std::atomic<bool>* stop = nullptr, int stop_after_rows = 0) {
  return run_graph({"graphs/dreamer.json", {"small"}, {}}, dir, {11, "train", stop, "train", stop_after_rows});
}

TEST(DreamerSmall, RunsItsProgramWithVideos) {
  at::set_num_threads(1);
  const auto dir = fresh_dir("dreamer_run");
  const auto rows = run_dreamer(dir);
  ASSERT_EQ(rows.size(), 3u);
  const auto& last = rows.back();
  // 2 prefill + 3 collected episodes of 40 control steps at action repeat 2; 2 updates per iteration.
  EXPECT_EQ(last["episodes"], 5);
  EXPECT_EQ(last["env_steps"], 5 * 40);
  EXPECT_EQ(last["agent_steps"], 5 * 20);
  EXPECT_EQ(last["updates"], 6);
  EXPECT_EQ(last["eval_episodes"], 1);
  for (const char* m : {"model_loss", "obs_nll", "reward_nll", "kl", "model_grad_norm", "actor_loss", "actor_grad_norm",
                        "value_loss", "value_grad_norm", "train_return", "eval_return"}) {
    ASSERT_TRUE(last.contains(m)) << m;
    EXPECT_TRUE(std::isfinite(last[m].get<double>())) << m;
  }
  // The value loss is a Gaussian NLL with unit std: at least 0.5 log(2 pi) per element.
  EXPECT_GE(last["value_loss"].get<double>(), 0.5 * std::log(2 * M_PI) * 0.99 * 0.99 * 0.99);
  // The evaluation after iteration 2 (env_steps 160) wrote its episode and the open-loop video.
  EXPECT_TRUE(std::filesystem::exists(dir / "videos/eval_step-eval_episodes-1.gif"));
  EXPECT_TRUE(std::filesystem::exists(dir / "media/open_loop-openl-160.gif"));
}

// The three updates of one Dreamer step, each as its own flow over the same blocks: the world
// model's step leaves the actor and value unchanged, the actor's step (back-propagated through the
// learned dynamics, reward and value) changes only the actor and computes no gradient for the
// others, and the value's step changes only the value.
TEST(DreamerSmall, EachOptimizerChangesOnlyItsBlocks) {
  at::set_num_threads(1);
  nlohmann::json doc = load_repo_graph(lf::GraphSource{"graphs/dreamer.json", {"small"}, {}})->json;
  // Without free nats, so that the KL term reaches the prior (below 3 nats it gets no gradient).
  doc["flows"]["train"]["nodes"]["kl"]["free_nats"] = 0.0;
  const nlohmann::json train = doc["flows"]["train"];
  // The train flow with two of its three optimizer steps left out (and no control edges to them).
  auto subflow = [&](bool keep_model_step, bool keep_actor_step, bool keep_value_step, const std::string& out) {
    nlohmann::json f = {{"nodes", nlohmann::json::object()}, {"outputs", {{"loss", out}}}};
    for (const auto& [name, node] : train["nodes"].items()) {
      if ((name == "model_step" && !keep_model_step) || (name == "actor_step" && !keep_actor_step) ||
          (name == "value_step" && !keep_value_step))
        continue;
      nlohmann::json n = node;
      n.erase("after");
      f["nodes"][name] = n;
    }
    return f;
  };
  doc["flows"]["model_update"] = subflow(true, false, false, "model_loss.loss");
  doc["flows"]["actor_update"] = subflow(false, true, false, "actor_loss.loss");
  doc["flows"]["value_update"] = subflow(false, false, true, "value_loss.loss");
  doc["program"] = nlohmann::json::array({doc["program"][0]});  // the prefill only
  lf::Diagnostics d;
  auto g = workspace().load_graph_json(doc, "dreamer_parts.json", d);
  ASSERT_TRUE(d.empty()) << d.format("dreamer_parts.json");
  lf::Runtime rt(*g, {3, 1, false});
  lf::ProgramRunner runner(rt, fresh_dir("dreamer_parts").string());
  runner.run();

  const std::vector<std::string> model = {"encoder", "decoder", "cell", "prior", "posterior", "reward"};
  auto snapshot = [&] {
    std::map<std::string, std::vector<at::Tensor>> w;
    for (const auto& [block, m] : rt.modules())
      for (const auto& p : m->parameters()) w[block].push_back(p.detach().clone());
    return w;
  };
  auto changed = [&](const auto& before, const std::string& block) {
    const auto params = rt.modules().at(block)->parameters();
    for (size_t i = 0; i < params.size(); ++i)
      if (!at::equal(params[i], before.at(block)[i])) return true;
    return false;
  };
  auto call = [&](const std::string& flow) {
    auto& plan = rt.plan(flow);
    std::vector<const at::Tensor*> ins(plan.num_inputs(), &lf::unconnected());
    std::vector<at::Tensor> outs(plan.num_outputs());
    plan.run(ins.data(), outs.data());
    return outs[0];
  };
  auto expect_only = [&](const std::string& flow, const std::vector<std::string>& updated) {
    for (const auto& [block, m] : rt.modules())
      for (auto& p : m->parameters()) p.mutable_grad().reset();
    const auto before = snapshot();
    const auto loss = call(flow);
    EXPECT_TRUE(std::isfinite(loss.item<double>())) << flow;
    for (const auto& [block, _] : before) {
      const bool want = std::find(updated.begin(), updated.end(), block) != updated.end();
      EXPECT_EQ(changed(before, block), want) << flow << " and block " << block;
      if (!want)
        for (const auto& p : rt.modules().at(block)->parameters())
          EXPECT_FALSE(p.grad().defined()) << flow << " computed a gradient for block " << block;
    }
  };
  expect_only("model_update", model);
  expect_only("actor_update", {"actor"});
  expect_only("value_update", {"value"});
}

TEST(DreamerSmall, ResumedRunContinuesExactlyLikeTheUninterruptedOne) {
  at::set_num_threads(1);
  const auto whole = run_dreamer(fresh_dir("dreamer_whole"));
  ASSERT_EQ(whole.size(), 3u);
  const auto dir = fresh_dir("dreamer_resumed");
  std::atomic<bool> stop{false};
  const auto first = run_dreamer(dir, &stop, 2);
  ASSERT_EQ(first.size(), 2u);
  const auto second = run_dreamer(dir);
  ASSERT_EQ(second.size(), 1u);
  auto a = whole[2], b = second[0];
  a.erase("time_s");
  b.erase("time_s");
  EXPECT_EQ(a, b);
}

// A stop at any moment, between a prefill, collection or evaluation rollout's steps too.
TEST(DreamerSmall, ResumesExactlyFromAStopAtAnyMoment) {
  at::set_num_threads(1);
  expect_exact_resume_anywhere({"graphs/dreamer.json", {"small"}, {}}, "dreamer_any", 11, 5);
}

}  // namespace
