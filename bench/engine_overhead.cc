// bench/engine_overhead: what the engine costs on top of the LibTorch it calls.
//
// The same RSSM observe pass (B=16, T=64, deter 200, stoch 30, hidden 200, embed 200, action 6)
// runs (a) through the engine (bench/graphs/rssm_observe.json: the "observe" flow, a scan of the
// "step" flow) and (b) as hand-written LibTorch on the very same weights (read from the runtime's
// modules) and the same noise (generators seeded as the engine seeds the posterior block).
// Before timing, the outputs and the gradients of both are checked to agree (exit 1 otherwise).
//
//   train: forward over T=64 with autograd, then backward of the sum of all outputs.
//          Target: engine / hand <= 1.05.
//   act:   the step flow once at batch 1 under NoGradGuard, h and s fed back (as when acting).
//          Target: engine / hand <= 1.10.
//
// One intra-op thread (PLATFORM.md: timings on this VM are comparable at 1 thread only); engine
// and hand-written reps are interleaved, alternating which goes first; medians are reported.
// The ratios are measurements: the exit status is 0 whatever they are.
//
// Usage: engine_overhead [--graph PATH] [--train-samples N] [--train-reps N] [--act-samples N]
//                        [--act-reps N] [--threads N]
//
// The heap is the engine's (engine/allocator.h), as in `engine run`: with glibc's defaults the
// train timings would measure the allocator more than the code (whichever side frees its whole
// autograd graph at the end of a rep gives the heap top back to the kernel and page-faults it in
// again on the next rep).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
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

constexpr int64_t kB = 16, kT = 64, kDeter = 200, kStoch = 30, kEmbed = 200, kAction = 6;
constexpr double kMinStd = 0.1;  // the blocks' default

using Clock = std::chrono::steady_clock;
using lf::bench::in_index;
using lf::bench::median;
using lf::bench::out_index;
using lf::bench::param;

// The weights of the three blocks, as the engine built them.
struct Weights {
  at::Tensor in_w, in_b, w_ih, w_hh, b_ih, b_hh;  // rssm.deterministic: "in" Linear, "gru" GRUCell
  at::Tensor pr_w1, pr_b1, pr_w2, pr_b2;          // rssm.gaussian_prior: "hidden", "out" Linears
  at::Tensor po_w1, po_b1, po_w2, po_b2;          // rssm.gaussian_posterior: same layout
};

Weights weights_of(lf::Runtime& rt) {
  auto mods = rt.modules();
  auto* d = mods.at("deter");
  auto* p = mods.at("prior");
  auto* q = mods.at("post");
  return {param(d, "deter", "in.weight"),     param(d, "deter", "in.bias"),
          param(d, "deter", "gru.weight_ih"), param(d, "deter", "gru.weight_hh"),
          param(d, "deter", "gru.bias_ih"),   param(d, "deter", "gru.bias_hh"),
          param(p, "prior", "hidden.weight"), param(p, "prior", "hidden.bias"),
          param(p, "prior", "out.weight"),    param(p, "prior", "out.bias"),
          param(q, "post", "hidden.weight"),  param(q, "post", "hidden.bias"),
          param(q, "post", "out.weight"),     param(q, "post", "out.bias")};
}

std::vector<at::Tensor> all_params(lf::Runtime& rt) {
  std::vector<at::Tensor> out;
  for (const auto& [name, m] : rt.modules())
    for (const auto& p : m->parameters()) out.push_back(p);
  return out;
}

void zero_grads(std::vector<at::Tensor>& params) {
  for (auto& p : params) p.mutable_grad().reset();
}

// ---- hand-written LibTorch: the math of plugins/rssm (deterministic.cc, layers.cc) ----------

struct StepOut {
  at::Tensor h, s, prior_mean, prior_std, post_mean, post_std;
};

// h_t = GRU(elu(W [s, a] + b), h);  prior head on h_t (no sample: the graph sets sample=false);
// posterior head on [h_t, e_t] with a reparameterized sample.
StepOut hand_step(const Weights& w, const at::Tensor& h, const at::Tensor& s, const at::Tensor& e,
                  const at::Tensor& a, at::Generator& post_gen) {
  StepOut o;
  auto x = at::elu(at::linear(at::cat({s, a}, -1), w.in_w, w.in_b));
  o.h = at::gru_cell(x, h, w.w_ih, w.w_hh, w.b_ih, w.b_hh);
  auto p = at::linear(at::elu(at::linear(o.h, w.pr_w1, w.pr_b1)), w.pr_w2, w.pr_b2).chunk(2, -1);
  o.prior_mean = p[0];
  o.prior_std = at::softplus(p[1]) + kMinStd;
  auto q = at::linear(at::elu(at::linear(at::cat({o.h, e}, -1), w.po_w1, w.po_b1)), w.po_w2, w.po_b2).chunk(2, -1);
  o.post_mean = q[0];
  o.post_std = at::softplus(q[1]) + kMinStd;
  o.s = o.post_mean + o.post_std * at::randn(o.post_mean.sizes(), post_gen, o.post_mean.options());
  return o;
}

// Outputs in the order of the observe flow: h, post_sample, post_mean, post_std, prior_mean, prior_std.
std::vector<at::Tensor> hand_observe(const Weights& w, const at::Tensor& h0, const at::Tensor& s0,
                                     const at::Tensor& embed, const at::Tensor& action, at::Generator& gen) {
  const int64_t steps = embed.size(1);
  std::vector<std::vector<at::Tensor>> col(6);
  for (auto& c : col) c.reserve(static_cast<size_t>(steps));
  at::Tensor h = h0, s = s0;
  for (int64_t t = 0; t < steps; ++t) {
    StepOut o = hand_step(w, h, s, embed.select(1, t), action.select(1, t), gen);
    col[0].push_back(o.h);
    col[1].push_back(o.s);
    col[2].push_back(o.post_mean);
    col[3].push_back(o.post_std);
    col[4].push_back(o.prior_mean);
    col[5].push_back(o.prior_std);
    h = o.h;
    s = o.s;
  }
  std::vector<at::Tensor> out;
  for (auto& c : col) out.push_back(at::stack(c, 1));
  return out;
}


// Binds tensors to a plan's inputs by name; collects its outputs in a chosen order.
struct Binding {
  std::vector<const at::Tensor*> in;
  std::vector<size_t> out;  // out[k]: the plan output that is the k-th requested name
  Binding(const lf::FlowPlan& plan, const std::vector<std::pair<std::string, const at::Tensor*>>& inputs,
          const std::vector<std::string>& outputs)
      : in(plan.num_inputs(), nullptr) {
    for (const auto& [name, t] : inputs) in[in_index(plan, name)] = t;
    for (const auto& name : outputs) out.push_back(out_index(plan, name));
  }
};

at::Tensor loss_of(const std::vector<at::Tensor>& outs) {
  at::Tensor l = outs[0].sum();
  for (size_t i = 1; i < outs.size(); ++i) l = l + outs[i].sum();
  return l;
}

// ---- checks ---------------------------------------------------------------------------------

bool close(const at::Tensor& a, const at::Tensor& b, const char* what, double tol = 1e-5) {
  if (!a.defined() || !b.defined() || a.sizes() != b.sizes()) {
    std::printf("MISMATCH %s: shapes differ\n", what);
    return false;
  }
  const double diff = (a - b).abs().max().item<double>();
  const double scale = std::max(1.0, b.abs().max().item<double>());
  if (diff > tol * scale) {
    std::printf("MISMATCH %s: max |engine - hand| = %.3g\n", what, diff);
    return false;
  }
  return true;
}

struct Args {
  std::string graph = std::string(LATENTFLOW_SOURCE_DIR) + "/bench/graphs/rssm_observe.json";
  int train_samples = 21, train_reps = 2, act_samples = 31, act_reps = 400, threads = 1;
};

Args parse(int argc, char** argv) {
  Args a;
  lf::bench::parse_options(argc, argv,
                           "[--graph PATH] [--train-samples N] [--train-reps N] [--act-samples N] [--act-reps N] "
                           "[--threads N]",
                           [&](std::string_view opt, auto value) {
                             if (opt == "--graph") a.graph = value();
                             else if (opt == "--train-samples") a.train_samples = std::atoi(value());
                             else if (opt == "--train-reps") a.train_reps = std::atoi(value());
                             else if (opt == "--act-samples") a.act_samples = std::atoi(value());
                             else if (opt == "--act-reps") a.act_reps = std::atoi(value());
                             else if (opt == "--threads") a.threads = std::atoi(value());
                             else return false;
                             return true;
                           });
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  lf::Workspace ws({});
  auto graph = lf::bench::setup(ws, {lf::GraphSource{args.graph, {}, {}}, 1, args.threads});
  if (!graph) return 1;
  const uint64_t seed = 1;
  lf::Runtime rt(*graph, {seed, 1, false});
  lf::FlowPlan& observe = rt.plan("observe");
  lf::FlowPlan& step = rt.plan("step");
  const Weights w = weights_of(rt);
  auto params = all_params(rt);
  // The posterior draws its noise from a CPU generator seeded with the block's seed; the hand
  // version's generator starts from the same seed and makes the same draws in the same order.
  at::Generator hand_gen = at::make_generator<at::CPUGeneratorImpl>(rt.seed_for("post"));

  at::manual_seed(7);
  const at::Tensor h0 = at::zeros({kB, kDeter}), s0 = at::zeros({kB, kStoch});
  const at::Tensor embed = at::randn({kB, kT, kEmbed}), action = at::rand({kB, kT, kAction}) * 2 - 1;
  const std::vector<std::string> obs_names = {"h", "post_sample", "post_mean", "post_std", "prior_mean", "prior_std"};
  const Binding obs(observe, {{"h0", &h0}, {"s0", &s0}, {"embed", &embed}, {"action", &action}}, obs_names);
  const at::Tensor* const* obs_in = obs.in.data();
  std::vector<at::Tensor> eng_out(observe.num_outputs());

  // ---- agreement: outputs and gradients, before any timing ----
  bool ok = observe.num_outputs() == 6;
  {
    observe.run(obs_in, eng_out.data());
    loss_of(eng_out).backward();
    std::vector<at::Tensor> eng_grads;
    for (auto& p : params) eng_grads.push_back(p.grad().clone());
    zero_grads(params);
    auto hand_out = hand_observe(w, h0, s0, embed, action, hand_gen);
    loss_of(hand_out).backward();
    for (size_t i = 0; ok && i < hand_out.size(); ++i) ok &= close(eng_out[obs.out[i]], hand_out[i], obs_names[i].c_str());
    for (size_t i = 0; ok && i < params.size(); ++i) ok &= close(eng_grads[i], params[i].grad(), "gradient", 1e-4);
    zero_grads(params);
  }
  at::Tensor act_h = at::zeros({1, kDeter}), act_s = at::zeros({1, kStoch});
  const at::Tensor act_e = embed.slice(0, 0, 1).select(1, 0).contiguous();
  const at::Tensor act_a = action.slice(0, 0, 1).select(1, 0).contiguous();
  std::vector<at::Tensor> step_out(step.num_outputs());
  const std::vector<std::string> step_names = {"h", "s", "prior_mean", "prior_std", "post_mean", "post_std"};
  const size_t step_h = out_index(step, "h"), step_s = out_index(step, "s");
  const size_t in_h = in_index(step, "h"), in_s = in_index(step, "s");
  {
    at::NoGradGuard no_grad;
    Binding b(step, {{"h", &act_h}, {"s", &act_s}, {"embed", &act_e}, {"action", &act_a}}, step_names);
    step.run(b.in.data(), step_out.data());
    StepOut o = hand_step(w, act_h, act_s, act_e, act_a, hand_gen);
    const at::Tensor* hand[] = {&o.h, &o.s, &o.prior_mean, &o.prior_std, &o.post_mean, &o.post_std};
    for (size_t i = 0; ok && i < 6; ++i) ok &= close(step_out[b.out[i]], *hand[i], ("act step " + step_names[i]).c_str());
  }
  if (!ok) {
    std::printf("engine and hand-written outputs disagree: the comparison would be meaningless\n");
    return 1;
  }
  std::printf("outputs and gradients agree (engine vs hand-written, same weights and noise)\n");

  // ---- train: forward over T with autograd + backward ----
  auto train_engine = [&] {
    double total = 0;
    for (int r = 0; r < args.train_reps; ++r) {
      const auto t0 = Clock::now();
      observe.run(obs_in, eng_out.data());
      loss_of(eng_out).backward();
      for (auto& t : eng_out) t.reset();
      total += std::chrono::duration<double>(Clock::now() - t0).count();
      zero_grads(params);
    }
    return total / args.train_reps;
  };
  auto train_hand = [&] {
    double total = 0;
    for (int r = 0; r < args.train_reps; ++r) {
      const auto t0 = Clock::now();
      {
        auto out = hand_observe(w, h0, s0, embed, action, hand_gen);
        loss_of(out).backward();
      }
      total += std::chrono::duration<double>(Clock::now() - t0).count();
      zero_grads(params);
    }
    return total / args.train_reps;
  };

  // ---- act: one step at batch 1, no grad, state fed back ----
  auto act_engine = [&] {
    at::NoGradGuard no_grad;
    at::Tensor h = act_h, s = act_s;
    std::vector<const at::Tensor*> in(step.num_inputs());
    in[in_index(step, "embed")] = &act_e;
    in[in_index(step, "action")] = &act_a;
    in[in_h] = &h;
    in[in_s] = &s;
    const auto t0 = Clock::now();
    for (int r = 0; r < args.act_reps; ++r) {
      step.run(in.data(), step_out.data());
      h = std::move(step_out[step_h]);
      s = std::move(step_out[step_s]);
    }
    return std::chrono::duration<double>(Clock::now() - t0).count() / args.act_reps;
  };
  auto act_hand = [&] {
    at::NoGradGuard no_grad;
    at::Tensor h = act_h, s = act_s;
    const auto t0 = Clock::now();
    for (int r = 0; r < args.act_reps; ++r) {
      StepOut o = hand_step(w, h, s, act_e, act_a, hand_gen);
      h = std::move(o.h);
      s = std::move(o.s);
    }
    return std::chrono::duration<double>(Clock::now() - t0).count() / args.act_reps;
  };

  auto measure = [](int samples, auto& eng, auto& hand, std::vector<double>& e, std::vector<double>& h,
                    std::vector<double>& ratio) {
    for (int i = 0; i < 2; ++i) eng(), hand();  // warm-up
    for (int i = 0; i < samples; ++i) {
      double te, th;
      if (i % 2 == 0) te = eng(), th = hand();
      else th = hand(), te = eng();
      e.push_back(te);
      h.push_back(th);
      ratio.push_back(te / th);
    }
  };
  std::vector<double> te, th, tr, ae, ah, ar;
  measure(args.train_samples, train_engine, train_hand, te, th, tr);
  measure(args.act_samples, act_engine, act_hand, ae, ah, ar);

  const double r_train = median(te) / median(th), r_act = median(ae) / median(ah);
  std::printf("\nRSSM observe, B=%lld T=%lld deter %lld stoch %lld hidden 200 embed %lld action %lld; %d thread(s)\n",
              (long long)kB, (long long)kT, (long long)kDeter, (long long)kStoch, (long long)kEmbed,
              (long long)kAction, args.threads);
  std::printf("samples: train %d x %d reps, act %d x %d reps\n", args.train_samples, args.train_reps,
              args.act_samples, args.act_reps);
  std::printf("%-36s %12s %12s %8s %14s\n", "case (median of samples)", "engine", "hand", "ratio",
              "median pairwise");
  std::printf("%-36s %9.3f ms %9.3f ms %8.3f %14.3f\n", "train: fwd+bwd over T=64, B=16", 1e3 * median(te),
              1e3 * median(th), r_train, median(tr));
  std::printf("%-36s %9.2f us %9.2f us %8.3f %14.3f\n", "act: one step, B=1, no grad", 1e6 * median(ae),
              1e6 * median(ah), r_act, median(ar));
  std::printf("engine overhead: train %+.2f us per scan step, act %+.2f us per call\n",
              1e6 * (median(te) - median(th)) / kT, 1e6 * (median(ae) - median(ah)));
  std::printf("\nratio train = %.3f (target <= 1.05)%s\n", r_train, r_train <= 1.05 ? "" : "  MISSED");
  std::printf("ratio act = %.3f (target <= 1.10)%s\n", r_act, r_act <= 1.10 ? "" : "  MISSED");
  return 0;
}
