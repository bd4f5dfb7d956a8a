#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include "kl_reference.h"
#include "support/node_harness.h"

namespace {

using lf::testing::error_of;
using lf::testing::FunctionFlow;
using lf::testing::TestNode;
using lf::testing::TestRefs;
using Inputs = std::map<std::string, at::Tensor>;

// A known linear-Gaussian prior step. The state fed to the next step is mean + std / 2, a fixed
// stand-in for a sample, so that a reference computed here sees the same rollout as the node.
struct LinearGaussian {
  at::Tensor wh, ws, wa, wm, wstd;
  LinearGaussian(int64_t deter, int64_t stoch, int64_t action) {
    auto w = [](int64_t i, int64_t o) { return 0.3 * at::randn({i, o}, at::kDouble); };
    wh = w(deter, deter), ws = w(stoch, deter), wa = w(action, deter), wm = w(deter, stoch);
    wstd = w(deter, stoch);
  }
  // {h', mean, std, s'} from (a, h, s), for any leading dims.
  std::array<at::Tensor, 4> step(const at::Tensor& a, const at::Tensor& h, const at::Tensor& s) const {
    auto hn = h.matmul(wh) + s.matmul(ws) + a.matmul(wa);
    auto mean = hn.matmul(wm);
    auto sd = at::softplus(hn.matmul(wstd)) + 0.1;
    return {hn, mean, sd, mean + 0.5 * sd};
  }
};

// The model as a flow, ports in the engine's (alphabetical) order.
std::shared_ptr<FunctionFlow> flow_of(std::shared_ptr<LinearGaussian> m) {
  return std::make_shared<FunctionFlow>(
      std::vector<std::string>{"action", "h", "s"}, std::vector<std::string>{"h", "mean", "s", "std"},
      [m](const std::vector<at::Tensor>& in) {
        auto [hn, mean, sd, s] = m->step(in[0], in[1], in[2]);
        return std::vector<at::Tensor>{hn, mean, s, sd};
      });
}

TestRefs refs(std::shared_ptr<lf::FlowHandle> flow) { return TestRefs{{}, {}, {{"prior_step", std::move(flow)}}}; }

constexpr int64_t kDeter = 4, kStoch = 3, kAction = 2;

Inputs random_inputs(int64_t B, int64_t T, bool initial_state) {
  auto r = [](std::vector<int64_t> shape) { return at::randn(shape, at::kDouble); };
  Inputs in{{"h", r({B, T, kDeter})},          {"s", r({B, T, kStoch})},
            {"post_mean", r({B, T, kStoch})},  {"post_std", at::rand({B, T, kStoch}, at::kDouble) + 0.2},
            {"action", r({B, T, kAction})}};
  if (initial_state) in["h0"] = r({B, kDeter}), in["s0"] = r({B, kStoch});
  return in;
}

// The states the rollouts start from: (h0, s0) if given, then the posteriors but the last.
std::pair<at::Tensor, at::Tensor> start_states(const Inputs& in) {
  const int64_t T = in.at("h").size(1);
  auto h = in.at("h").slice(1, 0, T - 1), s = in.at("s").slice(1, 0, T - 1);
  if (!in.count("h0")) return {h, s};
  return {at::cat({in.at("h0").unsqueeze(1), h}, 1), at::cat({in.at("s0").unsqueeze(1), s}, 1)};
}

TEST(LossesLatentOvershooting, DistanceOneIsTheOneStepKl) {
  for (bool initial_state : {false, true}) {
    for (double free_nats : {0.0, 1.5}) {
      auto m = std::make_shared<LinearGaussian>(kDeter, kStoch, kAction);
      auto flow = flow_of(m);
      TestNode node("losses.latent_overshooting", {{"model", "prior_step"}, {"distance", 1}, {"free_nats", free_nats}},
                    refs(flow));
      auto in = random_inputs(3, 5, initial_state);
      auto out = node.run(in);
      EXPECT_EQ(flow->calls, 1);

      // The observe scan's priors: one step from the state before each step t >= o.
      const int64_t o = initial_state ? 0 : 1;
      auto [h, s] = start_states(in);
      auto prior = m->step(in.at("action").slice(1, o), h, s);
      TestNode kl("losses.kl_gaussian", {{"free_nats", free_nats}});
      auto ref = kl.run({{"post_mean", in.at("post_mean").slice(1, o)}, {"post_std", in.at("post_std").slice(1, o)},
                         {"prior_mean", prior[1]}, {"prior_std", prior[2]}});
      EXPECT_NEAR(out.at("kl").item<double>(), ref.at("kl").item<double>(), 1e-12);
      EXPECT_NEAR(out.at("kl_raw").item<double>(), ref.at("kl_raw").item<double>(), 1e-12);
    }
  }
}

// h' = h + a, mean = h' + s, std = 1, s' = mean: every rollout can be followed by hand.
std::shared_ptr<FunctionFlow> additive_flow() {
  return std::make_shared<FunctionFlow>(
      std::vector<std::string>{"action", "h", "s"}, std::vector<std::string>{"h", "mean", "s", "std"},
      [](const std::vector<at::Tensor>& in) {
        auto hn = in[1] + in[0];
        auto mean = hn + in[2];
        return std::vector<at::Tensor>{hn, mean, mean, at::ones_like(mean)};
      });
}

at::Tensor seq(std::vector<double> v) { return at::tensor(v, at::kDouble).view({1, -1, 1}); }

Inputs hand_inputs() {
  // t:                   0    1    2
  return {{"h", seq({0, 1, 3})},          {"s", seq({0.5, 0, 1})},       {"action", seq({6, 1, 2})},
          {"post_mean", seq({7, 2, 3})},  {"post_std", seq({1, 1, 0.5})}};
}

TEST(LossesLatentOvershooting, HandComputedDistanceTwo) {
  auto flow = additive_flow();
  TestNode node("losses.latent_overshooting",
                {{"model", "prior_step"}, {"distance", 2}, {"free_nats", 0.2}, {"beta", 0.5}}, refs(flow));
  auto out = node.run(hand_inputs());
  EXPECT_EQ(flow->calls, 2);  // one call per distance step, all starts batched
  // d = 1 from t=0: h' = 0 + a1 = 1, mean = 1 + 0.5 = 1.5, vs q1 = N(2, 1)  -> 0.125, clamped to 0.2
  //        from t=1: h' = 1 + a2 = 3, mean = 3 + 0 = 3,     vs q2 = N(3, 0.5)
  // d = 2 from t=0: (h, s) = (1, 1.5), h' = 1 + a2 = 3, mean = 4.5, vs q2
  const double d1a = kl1(2, 1, 1.5, 1), d1b = kl1(3, 0.5, 3, 1), d2 = kl1(3, 0.5, 4.5, 1);
  ASSERT_NEAR(d1a, 0.125, 1e-12);
  EXPECT_NEAR(out.at("kl").item<double>(), (0.2 + d1b) / 2 + 0.5 * d2, 1e-12);
  EXPECT_NEAR(out.at("kl_raw").item<double>(), (d1a + d1b) / 2 + 0.5 * d2, 1e-12);
}

// With the initial state every distance up to T has pairs: each distance is averaged over its
// own pairs, then the distances d >= 2 are averaged (not all pairs pooled).
TEST(LossesLatentOvershooting, HandComputedFromTheInitialState) {
  auto in = hand_inputs();
  in["h0"] = at::zeros({1, 1}, at::kDouble), in["s0"] = at::zeros({1, 1}, at::kDouble);
  // d = 1: from (0, 0):   h' = 6,  mean = 6,  vs q0 = N(7, 1)
  //        from t=0, t=1: as in HandComputedDistanceTwo
  // d = 2: from (0, 0):   (6, 6)   -> h' = 7,  mean = 13, vs q1 = N(2, 1)
  //        from t=0:      (1, 1.5) -> h' = 3,  mean = 4.5, vs q2
  // d = 3: from (0, 0):   (7, 13)  -> h' = 9,  mean = 22, vs q2
  const double k1 = (kl1(7, 1, 6, 1) + 0.2 + kl1(3, 0.5, 3, 1)) / 3;
  const double k2 = (kl1(2, 1, 13, 1) + kl1(3, 0.5, 4.5, 1)) / 2, k3 = kl1(3, 0.5, 22, 1);
  for (int distance : {3, 5}) {  // distances past the sequence have no pairs and are left out
    auto flow = additive_flow();
    TestNode node("losses.latent_overshooting",
                  {{"model", "prior_step"}, {"distance", distance}, {"free_nats", 0.2}, {"beta", 0.5}}, refs(flow));
    EXPECT_NEAR(node.run(in).at("kl").item<double>(), k1 + 0.5 * (k2 + k3) / 2, 1e-9);
    EXPECT_EQ(flow->calls, 3);
  }
}

// The batched rollout against a plain loop over batch rows, start states and distances.
TEST(LossesLatentOvershooting, MatchesPerStartReference) {
  const int64_t B = 2, T = 6, D = 4;
  const double beta = 0.7;
  for (bool initial_state : {false, true}) {
    auto m = std::make_shared<LinearGaussian>(kDeter, kStoch, kAction);
    auto in = random_inputs(B, T, initial_state);
    const int64_t o = initial_state ? 0 : 1;
    auto [h0, s0] = start_states(in);
    std::vector<std::vector<double>> pairs(D);  // the KL of every (b, t) pair, per distance
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t j = 0; j + o < T; ++j) {  // the start before step j + o
        auto h = h0[b][j], s = s0[b][j];
        for (int64_t d = 0; d < D && j + o + d < T; ++d) {
          const int64_t t = j + o + d;
          auto [hn, mean, sd, sn] = m->step(in.at("action")[b][t], h, s);
          auto q_mean = in.at("post_mean")[b][t], q_std = in.at("post_std")[b][t];
          double kl = 0;
          for (int64_t i = 0; i < kStoch; ++i)
            kl += kl1(q_mean[i].item<double>(), q_std[i].item<double>(), mean[i].item<double>(), sd[i].item<double>());
          pairs[d].push_back(kl);
          h = hn, s = sn;
        }
      }
    }
    // Free nats at the median pair, so that about half the pairs are clamped.
    std::vector<double> all;
    for (const auto& p : pairs) all.insert(all.end(), p.begin(), p.end());
    std::nth_element(all.begin(), all.begin() + all.size() / 2, all.end());
    const double free_nats = all[all.size() / 2];
    auto mean_of = [&](const std::vector<double>& p, bool clamp) {
      double sum = 0;
      for (double kl : p) sum += clamp ? std::max(kl, free_nats) : kl;
      return sum / p.size();
    };
    double kl = mean_of(pairs[0], true), kl_raw = mean_of(pairs[0], false);
    for (int64_t d = 1; d < D; ++d) {
      kl += beta / (D - 1) * mean_of(pairs[d], true);
      kl_raw += beta / (D - 1) * mean_of(pairs[d], false);
    }
    ASSERT_GT(kl, kl_raw);  // free nats are exercised

    TestNode node("losses.latent_overshooting",
                  {{"model", "prior_step"}, {"distance", D}, {"free_nats", free_nats}, {"beta", beta}}, refs(flow_of(m)));
    auto out = node.run(in);
    EXPECT_NEAR(out.at("kl").item<double>(), kl, 1e-9);
    EXPECT_NEAR(out.at("kl_raw").item<double>(), kl_raw, 1e-9);
  }
}

TEST(LossesLatentOvershooting, GradientReachesTheModelAndMatchesFiniteDifferences) {
  auto m = std::make_shared<LinearGaussian>(kDeter, kStoch, kAction);
  TestNode node("losses.latent_overshooting",
                {{"model", "prior_step"}, {"distance", 3}, {"free_nats", 0.0}, {"stop_gradient", false}},
                refs(flow_of(m)));
  auto in = random_inputs(2, 4, true);
  auto f = [&](const std::vector<at::Tensor>& x) {
    m->wh = x[0], m->ws = x[1], m->wa = x[2], m->wm = x[3], m->wstd = x[4];
    Inputs run = in;
    run["post_mean"] = x[5], run["post_std"] = x[6].exp(), run["h"] = x[7], run["s"] = x[8];
    return node.run(run).at("kl");
  };
  std::vector<at::Tensor> x{m->wh, m->ws, m->wa, m->wm, m->wstd, in.at("post_mean"), in.at("post_std").log(),
                            in.at("h"), in.at("s")};
  for (auto& t : x) t = t.clone().requires_grad_();
  auto grads = torch::autograd::grad({f(x)}, {x[0], x[4]});
  EXPECT_GT(grads[0].abs().sum().item<double>(), 0.0);
  EXPECT_GT(grads[1].abs().sum().item<double>(), 0.0);
  EXPECT_LT(lf::testing::gradient_error(f, x), 1e-6);
}

// Stop-gradient (the authors' default) keeps the terms d >= 2 out of the posterior targets'
// gradient: it equals that of the one-step term alone. The start states still get gradient.
TEST(LossesLatentOvershooting, StopGradientOnTheOvershootingTargets) {
  auto m = std::make_shared<LinearGaussian>(kDeter, kStoch, kAction);
  auto in = random_inputs(2, 5, false);
  auto grads = [&](int distance, bool stop) {
    TestNode node("losses.latent_overshooting",
                  {{"model", "prior_step"}, {"distance", distance}, {"free_nats", 0.0}, {"stop_gradient", stop}},
                  refs(flow_of(m)));
    Inputs run = in;
    std::vector<at::Tensor> x;
    for (const char* k : {"post_mean", "post_std", "h", "s"}) x.push_back(run[k] = in.at(k).clone().requires_grad_());
    return torch::autograd::grad({node.run(run).at("kl")}, x);
  };
  auto one = grads(1, true), stopped = grads(3, true), open = grads(3, false);
  for (int i : {0, 1}) {
    EXPECT_GT(one[i].abs().max().item<double>(), 1e-3);  // the one-step term trains the posterior
    EXPECT_NEAR((stopped[i] - one[i]).abs().max().item<double>(), 0.0, 1e-12);
    EXPECT_GT((open[i] - one[i]).abs().max().item<double>(), 1e-3);
  }
  for (int i : {2, 3}) EXPECT_GT((stopped[i] - one[i]).abs().max().item<double>(), 1e-3);
}

TEST(LossesLatentOvershooting, RejectsABadModelContract) {
  auto no_std = std::make_shared<FunctionFlow>(
      std::vector<std::string>{"action", "h", "s"}, std::vector<std::string>{"h", "mean", "s"},
      [](const std::vector<at::Tensor>& in) { return std::vector<at::Tensor>{in[1], in[2], in[2]}; });
  TestNode a("losses.latent_overshooting", {{"model", "prior_step"}}, refs(no_std));
  auto msg = error_of([&] { a.run(random_inputs(1, 3, false)); });
  EXPECT_NE(msg.find("'prior_step'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("output 'std'"), std::string::npos) << msg;
  EXPECT_EQ(no_std->calls, 0);

  auto named_a = std::make_shared<FunctionFlow>(
      std::vector<std::string>{"a", "h", "s"}, std::vector<std::string>{"h", "mean", "s", "std"},
      [](const std::vector<at::Tensor>& in) { return in; });
  TestNode b("losses.latent_overshooting", {{"model", "prior_step"}}, refs(named_a));
  msg = error_of([&] { b.run(random_inputs(1, 3, false)); });
  EXPECT_NE(msg.find("input 'action'"), std::string::npos) << msg;
}

TEST(LossesLatentOvershooting, RejectsInvalidParamsAndInputs) {
  auto flow = flow_of(std::make_shared<LinearGaussian>(kDeter, kStoch, kAction));
  EXPECT_THROW(TestNode("losses.latent_overshooting", nlohmann::json::object(), refs(flow)), std::invalid_argument);  // model required
  EXPECT_THROW(TestNode("losses.latent_overshooting", {{"model", "other"}}, refs(flow)), std::invalid_argument);
  EXPECT_THROW(TestNode("losses.latent_overshooting", {{"model", "prior_step"}, {"distance", 0}}, refs(flow)),
               std::invalid_argument);
  EXPECT_THROW(TestNode("losses.latent_overshooting", {{"model", "prior_step"}, {"beta", -1.0}}, refs(flow)),
               std::invalid_argument);
  TestNode node("losses.latent_overshooting", {{"model", "prior_step"}}, refs(flow));
  auto in = random_inputs(2, 4, true);
  in.erase("s0");
  EXPECT_NE(error_of([&] { node.run(in); }).find("h0 and s0"), std::string::npos);
  EXPECT_NE(error_of([&] { node.run(random_inputs(2, 1, false)); }).find("T=1"), std::string::npos);
}

}  // namespace
