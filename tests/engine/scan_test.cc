// A scan equals the hand-unrolled loop over the same blocks, and a block called from several places
// uses one set of weights (DESIGN.md, "Block" and "Flow").
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "plan.h"
#include "runtime.h"
#include "workspace.h"

namespace {

const char* kGraph = R"({
  "blocks": {
    "deter": {"type": "rssm.deterministic", "deter": 12, "stoch": 3, "action_size": 2, "hidden": 10},
    "prior": {"type": "rssm.gaussian_prior", "deter": 12, "stoch": 3, "hidden": 10},
    "post":  {"type": "rssm.gaussian_posterior", "deter": 12, "stoch": 3, "embed": 5, "hidden": 10}
  },
  "flows": {
    "step": {
      "inputs": {"h": {"shape": ["B", 12]}, "s": {"shape": ["B", 3]}, "e": {"shape": ["B", 5]}, "a": {"shape": ["B", 2]}},
      "nodes": {
        "cell":  {"block": "deter", "inputs": {"h": "$h", "s": "$s", "a": "$a"}},
        "prior": {"block": "prior", "inputs": {"h": "cell.h_next"}},
        "post":  {"block": "post", "inputs": {"h": "cell.h_next", "embed": "$e"}}
      },
      "outputs": {"h": "cell.h_next", "s": "post.sample", "prior_mean": "prior.mean", "post_std": "post.std"}
    },
    "observe": {
      "inputs": {"h": {"shape": ["B", 12]}, "s": {"shape": ["B", 3]}, "e": {"shape": ["B", "T", 5]}, "a": {"shape": ["B", "T", 2]}},
      "nodes": {"scan": {"scan": "step", "over": ["e", "a"], "carry": {"h": "h", "s": "s"},
                         "inputs": {"h": "$h", "s": "$s", "e": "$e", "a": "$a"}}},
      "outputs": {"h": "scan.h", "s": "scan.s", "prior_mean": "scan.prior_mean", "post_std": "scan.post_std"}
    }
  }
})";

// A flow's inputs in its declared order (JSON objects are ordered by key: a, e, h, s).
std::vector<const at::Tensor*> by_name(const lf::FlowPlan& plan, const std::map<std::string, const at::Tensor*>& named) {
  std::vector<const at::Tensor*> out;
  for (const auto& in : plan.flow().inputs) out.push_back(named.at(in.name));
  return out;
}

std::vector<at::Tensor> call(lf::Runtime& rt, const lf::Graph& g, const std::string& block, std::vector<at::Tensor> in) {
  const lf::NodeSchema& s = g.blocks.at(block).node_type->schema;
  std::vector<const at::Tensor*> ptrs;
  for (auto& t : in) ptrs.push_back(&t);
  std::vector<at::Tensor> out(s.outputs.size());
  lf::CallContext ctx(s, ptrs.data(), out.data());
  rt.block(block).run(ctx);
  return out;
}

TEST(Scan, EqualsHandUnrolledLoop) {
  lf::Workspace ws({LATENTFLOW_TEST_PLUGIN_DIR});
  lf::Diagnostics d;
  auto g = ws.load_graph_json(nlohmann::json::parse(kGraph), "scan.json", d);
  ASSERT_TRUE(d.empty()) << d.format("scan.json");

  const int64_t B = 4, T = 7;
  const at::Tensor h0 = at::zeros({B, 12}), s0 = at::zeros({B, 3});
  const at::Tensor e = at::randn({B, T, 5}), a = at::randn({B, T, 2});

  // Two runtimes with the same seed: the same initial weights and the same noise draws.
  lf::Runtime engine_rt(*g, {42, 1, false});
  auto in = by_name(engine_rt.plan("observe"), {{"h", &h0}, {"s", &s0}, {"e", &e}, {"a", &a}});
  std::vector<at::Tensor> out(4);
  engine_rt.plan("observe").run(in.data(), out.data());

  lf::Runtime hand_rt(*g, {42, 1, false});
  at::Tensor h = h0, s = s0;
  std::vector<at::Tensor> hs, ss, prior_means, post_stds;
  for (int64_t t = 0; t < T; ++t) {
    h = call(hand_rt, *g, "deter", {h, s, a.select(1, t)})[0];
    auto prior = call(hand_rt, *g, "prior", {h});
    auto post = call(hand_rt, *g, "post", {h, e.select(1, t)});
    s = post[2];
    hs.push_back(h), ss.push_back(s), prior_means.push_back(prior[0]), post_stds.push_back(post[1]);
  }
  // Outputs in key order: h, post_std, prior_mean, s.
  const std::vector<at::Tensor> expected = {at::stack(hs, 1), at::stack(post_stds, 1), at::stack(prior_means, 1),
                                            at::stack(ss, 1)};
  for (size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(out[i].sizes(), expected[i].sizes()) << i;
    EXPECT_LE((out[i] - expected[i]).abs().max().item<double>(), 1e-6) << "output " << i;
  }
}

TEST(Scan, BlockSharedAcrossFlowsHasOneSetOfWeights) {
  lf::Workspace ws({LATENTFLOW_TEST_PLUGIN_DIR});
  lf::Diagnostics d;
  auto g = ws.load_graph_json(nlohmann::json::parse(kGraph), "scan.json", d);
  ASSERT_TRUE(d.empty());
  lf::Runtime rt(*g, {1, 1, false});
  const auto modules = rt.modules();
  ASSERT_EQ(modules.size(), 3u);
  // The step flow called directly and through the scan sees the same module object.
  const at::Tensor h0 = at::zeros({2, 12}), s0 = at::zeros({2, 3}), e = at::randn({2, 5}), a = at::randn({2, 2});
  auto in = by_name(rt.plan("step"), {{"h", &h0}, {"s", &s0}, {"e", &e}, {"a", &a}});
  std::vector<at::Tensor> before(4), after(4);
  rt.plan("step").run(in.data(), before.data());
  {
    at::NoGradGuard ng;
    for (auto& p : modules.at("deter")->parameters()) p.add_(1.0);
  }
  rt.plan("step").run(in.data(), after.data());
  EXPECT_GT((before[0] - after[0]).abs().max().item<double>(), 1e-3);
}

TEST(Scan, MismatchedSequenceLengthsAreAnError) {
  lf::Workspace ws({LATENTFLOW_TEST_PLUGIN_DIR});
  lf::Diagnostics d;
  auto g = ws.load_graph_json(nlohmann::json::parse(kGraph), "scan.json", d);
  lf::Runtime rt(*g, {1, 1, false});
  const at::Tensor h0 = at::zeros({2, 12}), s0 = at::zeros({2, 3}), e = at::randn({2, 5, 5}), a = at::randn({2, 6, 2});
  auto in = by_name(rt.plan("observe"), {{"h", &h0}, {"s", &s0}, {"e", &e}, {"a", &a}});
  std::vector<at::Tensor> out(4);
  try {
    rt.plan("observe").run(in.data(), out.data());
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/flows/observe/nodes/scan"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("differ in length"), std::string::npos) << e.what();
  }
}

}  // namespace

namespace {

TEST(Scan, StacksOnlyTheOutputsItsFlowReads) {
  // A flow reading only scan.h: the other step outputs are not stacked (they come out empty), and
  // scan.h is the same as when every output is read.
  auto doc = nlohmann::json::parse(kGraph);
  doc["flows"]["last_h"] = doc["flows"]["observe"];
  doc["flows"]["last_h"]["outputs"] = {{"h", "scan.h"}};
  lf::Workspace ws({LATENTFLOW_TEST_PLUGIN_DIR});
  lf::Diagnostics d;
  auto g = ws.load_graph_json(doc, "scan.json", d);
  ASSERT_TRUE(d.empty()) << d.format("scan.json");
  const at::Tensor h0 = at::zeros({2, 12}), s0 = at::zeros({2, 3}), e = at::randn({2, 5, 5}), a = at::randn({2, 5, 2});
  lf::Runtime rt_all(*g, {3, 1, false}), rt_one(*g, {3, 1, false});
  std::vector<at::Tensor> all(4), one(1);
  auto in = by_name(rt_all.plan("observe"), {{"h", &h0}, {"s", &s0}, {"e", &e}, {"a", &a}});
  rt_all.plan("observe").run(in.data(), all.data());
  rt_one.plan("last_h").run(in.data(), one.data());
  EXPECT_TRUE(at::equal(all[0], one[0]));
  EXPECT_EQ(one[0].sizes(), (std::vector<int64_t>{2, 5, 12}));
}

}  // namespace
