// bench/planner_latency: the time to choose one action with PlaNet's CEM planner, through the
// engine vs. the same CEM written by hand in LibTorch.
//
// The paper's settings: horizon 12, 1000 candidates, 100 elites, 10 iterations, one environment
// (E = 1), PlaNet's RSSM (deter 200, stoch 30, hidden 200, relu) and reward head (2 x 100 relu) on
// a 1-d action (cartpole). (a) The engine runs the flow "plan" of bench/planner_latency.json: the
// planners.cem block, which calls the flow "model" (a scan of "imagine") once per iteration for
// all candidates. (b) The hand-written CEM does the same math on the very same weights (read from
// the runtime's modules) with the same noise: its two generators are seeded as the engine seeds
// the cem and prior blocks and draw in the same order. Before timing, both must choose the same
// action and value (exit 1 otherwise).
//
// Engine and hand-written plans are interleaved, alternating which goes first; medians are
// reported with their ratio (target engine / hand <= 1.05). The exit status is 0 whatever it is.
//
// Usage: planner_latency [--graph PATH] [--samples N] [--threads N]
//
// The heap is the engine's (engine/allocator.h), as in `engine run`.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/nn/module.h>

#include "bench_support.h"
#include "plan.h"
#include "runtime.h"
#include "workspace.h"

#ifndef LATENTFLOW_SOURCE_DIR
#define LATENTFLOW_SOURCE_DIR "."
#endif

namespace {

// The graph's sizes and the cem block's params (checked against the graph below).
constexpr int64_t kDeter = 200, kStoch = 30, kAction = 1;
constexpr int64_t kHorizon = 12, kCandidates = 1000, kElites = 100, kIterations = 10;
constexpr double kMinStd = 0.1, kDiscount = 0.99, kMinAction = -1, kMaxAction = 1;

using Clock = std::chrono::steady_clock;
using lf::bench::in_index;
using lf::bench::median;
using lf::bench::out_index;
using lf::bench::param;

// The weights of the three model blocks, as the engine built them.
struct Weights {
  at::Tensor in_w, in_b, w_ih, w_hh, b_ih, b_hh;  // rssm.deterministic: "in" Linear, "gru" GRUCell
  at::Tensor pr_w1, pr_b1, pr_w2, pr_b2;          // rssm.gaussian_prior: "hidden", "out" Linears
  at::Tensor r_w0, r_b0, r_w1, r_b1, r_w2, r_b2;  // nn.mlp: fc0, fc1, out
};

Weights weights_of(lf::Runtime& rt) {
  auto mods = rt.modules();
  auto* d = mods.at("deter");
  auto* p = mods.at("prior");
  auto* r = mods.at("reward");
  return {param(d, "deter", "in.weight"),     param(d, "deter", "in.bias"),
          param(d, "deter", "gru.weight_ih"), param(d, "deter", "gru.weight_hh"),
          param(d, "deter", "gru.bias_ih"),   param(d, "deter", "gru.bias_hh"),
          param(p, "prior", "hidden.weight"), param(p, "prior", "hidden.bias"),
          param(p, "prior", "out.weight"),    param(p, "prior", "out.bias"),
          param(r, "reward", "fc0.weight"),   param(r, "reward", "fc0.bias"),
          param(r, "reward", "fc1.weight"),   param(r, "reward", "fc1.bias"),
          param(r, "reward", "out.weight"),   param(r, "reward", "out.bias")};
}

// ---- hand-written LibTorch: planners/cem.cc over the math of plugins/rssm and plugins/nn/mlp --

struct Plan {
  at::Tensor action, value;
};

// One imagined step for all candidates: h = GRU(relu(W [s, a])), s ~ prior(h) (relu hidden
// layer, std = softplus + 0.1), reward = mlp([h, s]) with relu hidden layers.
at::Tensor hand_imagine(const Weights& w, at::Tensor& h, at::Tensor& s, const at::Tensor& a, at::Generator& prior_gen) {
  auto x = at::relu(at::linear(at::cat({s, a}, -1), w.in_w, w.in_b));
  h = at::gru_cell(x, h, w.w_ih, w.w_hh, w.b_ih, w.b_hh);
  auto stats = at::linear(at::relu(at::linear(h, w.pr_w1, w.pr_b1)), w.pr_w2, w.pr_b2).chunk(2, -1);
  auto std = at::softplus(stats[1]) + kMinStd;
  s = stats[0] + std * at::randn(stats[0].sizes(), prior_gen, stats[0].options());
  auto f = at::cat({h, s}, -1);
  auto y = at::relu(at::linear(at::relu(at::linear(f, w.r_w0, w.r_b0)), w.r_w1, w.r_b1));
  return at::linear(y, w.r_w2, w.r_b2);  // [N, 1]
}

Plan hand_plan(const Weights& w, const at::Tensor& h0, const at::Tensor& s0, at::Generator& cem_gen,
               at::Generator& prior_gen) {
  at::NoGradGuard no_grad;
  const int64_t envs = h0.size(0), n = envs * kCandidates;
  const auto h_rep = h0.repeat_interleave(kCandidates, 0), s_rep = s0.repeat_interleave(kCandidates, 0);
  at::Tensor mean = at::zeros({envs, kHorizon, kAction}), std = at::ones({envs, kHorizon, kAction}), top;
  for (int64_t it = 0; it < kIterations; ++it) {
    auto eps = at::randn({envs, kCandidates, kHorizon, kAction}, cem_gen, mean.options());
    auto actions = (mean.unsqueeze(1) + std.unsqueeze(1) * eps).clamp_(kMinAction, kMaxAction);
    const auto flat = actions.view({n, kHorizon, kAction});
    at::Tensor h = h_rep, s = s_rep, objective = at::zeros({n, 1});
    for (int64_t t = 0; t < kHorizon; ++t)
      objective += std::pow(kDiscount, static_cast<double>(t)) * hand_imagine(w, h, s, flat.select(1, t), prior_gen);
    auto [values, index] = objective.view({envs, kCandidates}).topk(kElites, 1, true, false);
    const auto elite = actions.gather(1, index.view({envs, kElites, 1, 1}).expand({envs, kElites, kHorizon, kAction}));
    mean = elite.mean(1);
    std = (elite.var(1, false) + 1e-6).sqrt_();
    top = values;
  }
  return {mean.select(1, 0), top.mean(1)};
}

// ---- the engine's side -------------------------------------------------------------------------


// The cem block must have the params the hand-written planner hard-codes.
bool check_cem_params(const lf::Graph& g) {
  const auto& p = g.blocks.at("cem").params;
  const bool ok = p.at("horizon") == kHorizon && p.at("candidates") == kCandidates && p.at("elites") == kElites &&
                  p.at("iterations") == kIterations && p.at("action_size") == kAction &&
                  p.at("discount").get<double>() == kDiscount && p.at("min_action").get<double>() == kMinAction &&
                  p.at("max_action").get<double>() == kMaxAction;
  if (!ok) std::printf("the graph's cem block differs from the settings this bench hard-codes: %s\n", p.dump().c_str());
  return ok;
}

bool close(const at::Tensor& a, const at::Tensor& b, const char* what, double tol) {
  if (!a.defined() || !b.defined() || a.sizes() != b.sizes()) {
    std::printf("MISMATCH %s: shapes differ\n", what);
    return false;
  }
  const double diff = (a - b).abs().max().item<double>();
  std::printf("%s: engine %.6f, hand %.6f, max |diff| %.3g\n", what, a.flatten()[0].item<double>(),
              b.flatten()[0].item<double>(), diff);
  if (diff > tol * std::max(1.0, b.abs().max().item<double>())) {
    std::printf("MISMATCH %s\n", what);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const lf::bench::CompareArgs args =
      lf::bench::parse_compare_args(argc, argv, std::string(LATENTFLOW_SOURCE_DIR) + "/bench/planner_latency.json");
  lf::Workspace ws({});
  auto graph = lf::bench::setup(ws, args);
  if (!graph) return 1;
  if (!check_cem_params(*graph)) return 1;
  const uint64_t seed = 1;
  lf::Runtime rt(*graph, {seed, 1, false});
  lf::FlowPlan& plan = rt.plan("plan");
  const Weights w = weights_of(rt);
  // The same noise: generators seeded as the engine seeds the two blocks that draw.
  at::Generator cem_gen = at::make_generator<at::CPUGeneratorImpl>(rt.seed_for("cem"));
  at::Generator prior_gen = at::make_generator<at::CPUGeneratorImpl>(rt.seed_for("prior"));

  // A belief to plan from (as if after observing: any h, s will do for timing).
  at::manual_seed(7);
  const at::Tensor h0 = at::tanh(at::randn({1, kDeter})), s0 = at::randn({1, kStoch});
  std::vector<const at::Tensor*> in(plan.num_inputs());
  in[in_index(plan, "h")] = &h0;
  in[in_index(plan, "s")] = &s0;
  std::vector<at::Tensor> out(plan.num_outputs());
  const size_t out_action = out_index(plan, "action"), out_value = out_index(plan, "value");

  // ---- agreement: the same action and value from the same weights and noise ----
  {
    at::NoGradGuard no_grad;
    plan.run(in.data(), out.data());
    const Plan hand = hand_plan(w, h0, s0, cem_gen, prior_gen);
    const bool ok = close(out[out_action], hand.action, "action", 1e-4) & close(out[out_value], hand.value, "value", 1e-4);
    if (!ok) {
      std::printf("engine and hand-written plans disagree: the comparison would be meaningless\n");
      return 1;
    }
  }
  std::printf("engine and hand-written CEM agree (same weights and noise)\n");

  auto engine = [&] {
    at::NoGradGuard no_grad;
    const auto t0 = Clock::now();
    plan.run(in.data(), out.data());
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  auto hand = [&] {
    const auto t0 = Clock::now();
    const Plan p = hand_plan(w, h0, s0, cem_gen, prior_gen);
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  engine(), hand();  // warm-up
  std::vector<double> te, th, ratio;
  for (int i = 0; i < args.samples; ++i) {
    double e, h;
    if (i % 2 == 0) e = engine(), h = hand();
    else h = hand(), e = engine();
    te.push_back(e);
    th.push_back(h);
    ratio.push_back(e / h);
  }
  const double r = median(te) / median(th);
  std::printf("\nCEM planning, E=1: horizon %lld, %lld candidates, %lld elites, %lld iterations; RSSM deter %lld stoch %lld "
              "hidden 200, reward mlp 2x100; action %lld; %d thread(s); %d samples\n",
              (long long)kHorizon, (long long)kCandidates, (long long)kElites, (long long)kIterations, (long long)kDeter,
              (long long)kStoch, (long long)kAction, args.threads, args.samples);
  std::printf("%-28s %12s %12s %8s %16s\n", "ms per action (median)", "engine", "hand", "ratio", "median pairwise");
  std::printf("%-28s %12.2f %12.2f %8.3f %16.3f\n", "plan", 1e3 * median(te), 1e3 * median(th), r, median(ratio));
  std::printf("min: engine %.2f ms, hand %.2f ms\n", 1e3 * *std::min_element(te.begin(), te.end()),
              1e3 * *std::min_element(th.begin(), th.end()));
  std::printf("\nratio = %.3f (target <= 1.05)%s\n", r, r <= 1.05 ? "" : "  MISSED");
  return 0;
}
