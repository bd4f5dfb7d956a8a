// The RSSM world-model update of graphs/common/rssm.json written by hand in LibTorch, and what the
// benchmarks that time a graph's train flow against such a hand-written update share
// (dreamer_update, planet_update): the hand side's own copies of the engine's initial weights, its
// optimizers, the graph's replay sampler called directly, the agreement checks and the timing loop.
//
// The hand-written side hard-codes the structure (MLPs without LayerNorm, sampled Gaussian heads,
// unit-std log-likelihoods over the state vector, ...; check_params exits the benchmark when the
// graph differs) and reads every number from the graph's resolved params.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/nn/module.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>

#include "bench_support.h"
#include "plan.h"
#include "rollout.h"
#include "runtime.h"

namespace lf::bench::hand {

using nlohmann::json;

inline const double kHalfLog2Pi = 0.5 * std::log(2.0 * M_PI);

// ---- the graph's params ------------------------------------------------------------------------

// The resolved params of a block ("cell") or of a flow's inline node ("train/kl").
inline const json& params_of(const Graph& g, const std::string& where) {
  const auto slash = where.find('/');
  if (slash == std::string::npos) return g.blocks.at(where).params;
  const Flow& f = g.flows.at(where.substr(0, slash));
  return f.nodes.at(static_cast<size_t>(f.node_index(where.substr(slash + 1)))).params;
}

inline double f_param(const Graph& g, const std::string& where, const std::string& key) {
  return params_of(g, where).at(key).get<double>();
}

using Expected = std::vector<std::tuple<std::string, std::string, json>>;

// Each (where, key, value) must be the graph's; prints every difference.
inline bool check_params(const Graph& g, const Expected& expected) {
  bool ok = true;
  for (const auto& [where, key, value] : expected) {
    const json& p = params_of(g, where);
    if (p.contains(key) && p.at(key) == value) continue;
    std::printf("the graph's %s.%s is %s; this bench's hand-written update assumes %s\n", where.c_str(), key.c_str(),
                p.contains(key) ? p.at(key).dump().c_str() : "missing", value.dump().c_str());
    ok = false;
  }
  return ok;
}

// What the world model's hand-written update assumes of graphs/common/rssm.json with the
// state-observation mixin (common/rssm_state.json).
inline Expected world_model_structure() {
  Expected e;
  for (const char* mlp : {"encoder", "decoder", "reward"}) {
    e.emplace_back(mlp, "layer_norm", false);
    e.emplace_back(mlp, "out_activation", "none");
  }
  const Expected rest = {
      {"prior", "sample", true},         {"posterior", "sample", true},    {"sample", "start", "any"},
      {"train/obs_nll", "event_dims", 1}, {"train/obs_nll", "std", 1.0},   {"train/reward_nll", "event_dims", 0},
      {"train/reward_nll", "std", 1.0},  {"train/kl", "event_dims", 1},
      {"model_adam", "blocks", json::array({"encoder", "decoder", "cell", "prior", "posterior", "reward"})},
      {"model_adam", "weight_decay", 0.0},
  };
  e.insert(e.end(), rest.begin(), rest.end());
  return e;
}

// ---- the hand-written side's weights: its own copies of the engine's initial weights ------------

// A copy of every engine parameter, found by the engine tensor it copies.
class Copies {
 public:
  explicit Copies(Runtime& rt) {
    for (const auto& [name, m] : rt.modules())
      for (const auto& p : m->parameters()) copy_[p.unsafeGetTensorImpl()] = p.detach().clone().requires_grad_();
  }
  const at::Tensor& of(const at::Tensor& engine_param) const { return copy_.at(engine_param.unsafeGetTensorImpl()); }

 private:
  std::map<const c10::TensorImpl*, at::Tensor> copy_;
};

enum class Act { relu, elu };

inline Act act_of(const Graph& g, const std::string& where, const std::string& key) {
  const std::string a = params_of(g, where).at(key).get<std::string>();
  if (a == "relu") return Act::relu;
  if (a == "elu") return Act::elu;
  std::printf("the graph's %s.%s is '%s'; this bench's hand-written update knows relu and elu\n", where.c_str(),
              key.c_str(), a.c_str());
  std::exit(1);
}

inline at::Tensor activate(Act a, const at::Tensor& x) { return a == Act::relu ? at::relu(x) : at::elu(x); }

// nn.mlp (and rl.tanh_normal_actor): Linear "fc0".."fc{n-1}", each followed by the activation, then "out".
struct Mlp {
  std::vector<at::Tensor> w, b;
  Act act;
};

inline at::Tensor mlp(const Mlp& m, at::Tensor x) {
  for (size_t i = 0; i + 1 < m.w.size(); ++i) x = activate(m.act, at::linear(x, m.w[i], m.b[i]));
  return at::linear(x, m.w.back(), m.b.back());
}

// rssm's Gaussian heads: Linear "hidden", act, Linear "out" -> mean, softplus + min_std.
struct Head {
  at::Tensor w1, b1, w2, b2;
  Act act;
  double min_std;
};

struct Gaussian {
  at::Tensor mean, std, sample;
};

inline Gaussian sample_head(const Head& w, const at::Tensor& x, at::Generator& gen) {
  auto stats = at::linear(activate(w.act, at::linear(x, w.w1, w.b1)), w.w2, w.b2).chunk(2, -1);
  Gaussian out{stats[0], at::softplus(stats[1]) + w.min_std, {}};
  out.sample = out.mean + out.std * at::randn(out.mean.sizes(), gen, out.mean.options().requires_grad(false));
  return out;
}

class WeightReader {
 public:
  WeightReader(Runtime& rt, const Graph& g, const Copies& copies) : mods_(rt.modules()), g_(g), copies_(copies) {}
  at::Tensor operator()(const std::string& block, const std::string& name) const {
    return copies_.of(param(mods_.at(block), block, name));
  }
  Mlp mlp(const std::string& block) const {
    Mlp m{{}, {}, act_of(g_, block, "activation")};
    const size_t hidden = params_of(g_, block).at("hidden").size();
    for (size_t i = 0; i <= hidden; ++i) {
      const std::string layer = i < hidden ? "fc" + std::to_string(i) : "out";
      m.w.push_back((*this)(block, layer + ".weight"));
      m.b.push_back((*this)(block, layer + ".bias"));
    }
    return m;
  }
  Head head(const std::string& block) const {
    return Head{(*this)(block, "hidden.weight"), (*this)(block, "hidden.bias"), (*this)(block, "out.weight"),
                (*this)(block, "out.bias"), act_of(g_, block, "act"), f_param(g_, block, "min_std")};
  }

 private:
  std::map<std::string, torch::nn::Module*> mods_;
  const Graph& g_;
  const Copies& copies_;
};

// The world model of graphs/common/rssm.json: weights and the numbers of its loss.
struct WorldModel {
  Mlp encoder, decoder, reward;
  at::Tensor in_w, in_b, w_ih, w_hh, b_ih, b_hh;  // rssm.deterministic: "in" Linear, "gru" GRUCell
  Act cell_act;
  Head prior, post;
  double free_nats;
  bool kl_per_step;             // losses.kl_gaussian free_nats_mode
  std::vector<double> weights;  // losses.weighted_sum: obs, reward, kl

  WorldModel(Runtime& rt, const Graph& g, const Copies& copies) {
    const WeightReader w(rt, g, copies);
    encoder = w.mlp("encoder"), decoder = w.mlp("decoder"), reward = w.mlp("reward");
    in_w = w("cell", "in.weight"), in_b = w("cell", "in.bias");
    w_ih = w("cell", "gru.weight_ih"), w_hh = w("cell", "gru.weight_hh");
    b_ih = w("cell", "gru.bias_ih"), b_hh = w("cell", "gru.bias_hh");
    cell_act = act_of(g, "cell", "act");
    prior = w.head("prior"), post = w.head("posterior");
    free_nats = f_param(g, "train/kl", "free_nats");
    kl_per_step = params_of(g, "train/kl").at("free_nats_mode") == "per_step";
    weights = params_of(g, "train/model_loss").at("weights").get<std::vector<double>>();
  }

  at::Tensor step(const at::Tensor& h, const at::Tensor& s, const at::Tensor& a) const {
    return at::gru_cell(activate(cell_act, at::linear(at::cat({s, a}, -1), in_w, in_b)), h, w_ih, w_hh, b_ih, b_hh);
  }
};

// One optimizer block (optim.adam): its parameters in the engine's order (its blocks list, each
// module's own order), the same settings; gradients into these weights only, global-norm clipping.
struct Optimizer {
  std::vector<at::Tensor> params;
  double clip;
  torch::optim::Adam adam;

  Optimizer(Runtime& rt, const Graph& g, const Copies& copies, const std::string& block)
      : params(collect(rt, g, copies, block)),
        clip(f_param(g, block, "clip")),
        adam(params, torch::optim::AdamOptions(f_param(g, block, "lr")).eps(f_param(g, block, "eps"))) {
    if (clip > 0) return;
    std::printf("the graph's %s does not clip; this bench's hand-written update always clips\n", block.c_str());
    std::exit(1);
  }

  // The norm before clipping.
  double step(const at::Tensor& loss) {
    for (auto& p : params) p.mutable_grad().reset();
    loss.backward({}, c10::nullopt, false, at::TensorList(params));
    const double norm = torch::nn::utils::clip_grad_norm_(params, clip);
    adam.step();
    return norm;
  }

 private:
  static std::vector<at::Tensor> collect(Runtime& rt, const Graph& g, const Copies& copies, const std::string& opt) {
    std::vector<at::Tensor> out;
    auto mods = rt.modules();
    for (const auto& block : params_of(g, opt).at("blocks"))
      for (const auto& p : mods.at(block.get<std::string>())->parameters()) out.push_back(copies.of(p));
    return out;
  }
};

// ---- the world model's update, by hand ----------------------------------------------------------

struct Batch {
  at::Tensor obs, action, reward;
};

struct Observed {
  at::Tensor loss, obs_nll, reward_nll, kl_raw;
  at::Tensor h, s;  // [B, T, deter], [B, T, stoch]
};

// The observe pass from a zero state and the world model's loss (the math of plugins/{nn,rssm,
// losses}): the prior's sample is drawn at every step and not used, as the graph's observe step does.
inline Observed world_model_loss(const WorldModel& w, at::Generator& prior_gen, at::Generator& post_gen,
                                 const Batch& batch) {
  const int64_t batch_size = batch.obs.size(0), steps = batch.obs.size(1);
  const auto embed = mlp(w.encoder, batch.obs);
  at::Tensor h = at::zeros({batch_size, w.w_hh.size(1)}), s = at::zeros({batch_size, w.prior.w2.size(0) / 2});
  std::vector<at::Tensor> hs, ss, prior_mean, prior_std, post_mean, post_std;
  for (int64_t t = 0; t < steps; ++t) {
    h = w.step(h, s, batch.action.select(1, t));
    const Gaussian prior = sample_head(w.prior, h, prior_gen);
    const Gaussian post = sample_head(w.post, at::cat({h, embed.select(1, t)}, -1), post_gen);
    s = post.sample;
    hs.push_back(h);
    ss.push_back(s);
    prior_mean.push_back(prior.mean);
    prior_std.push_back(prior.std);
    post_mean.push_back(post.mean);
    post_std.push_back(post.std);
  }
  Observed r;
  r.h = at::stack(hs, 1), r.s = at::stack(ss, 1);
  const auto feat = at::cat({r.h, r.s}, -1);
  r.obs_nll = (0.5 * (batch.obs - mlp(w.decoder, feat)).square() + kHalfLog2Pi).sum(-1).mean();
  r.reward_nll = (0.5 * (batch.reward - mlp(w.reward, feat).squeeze(-1)).square() + kHalfLog2Pi).mean();
  const auto mq = at::stack(post_mean, 1), sq = at::stack(post_std, 1);
  const auto mp = at::stack(prior_mean, 1), sp = at::stack(prior_std, 1);
  const auto kl_event = ((sp / sq).log() + (sq.square() + (mq - mp).square()) / (2 * sp.square()) - 0.5).sum(-1);
  r.kl_raw = kl_event.mean().detach();
  const auto kl = w.kl_per_step ? kl_event.clamp_min(w.free_nats).mean() : kl_event.mean().clamp_min(w.free_nats);
  r.loss = w.weights.at(0) * r.obs_nll + w.weights.at(1) * r.reward_nll + w.weights.at(2) * kl;
  return r;
}

// ---- the replay: the graph's seed episodes, and the sample block called directly ---------------

// Runs the graph's first program statement (random-action episodes into the replay); env steps.
inline int64_t prefill(Runtime& rt, const Graph& g) {
  const json& stmt = g.program.at(0);
  Rollout r(rt, stmt.at("do").at(0));
  std::map<std::string, int64_t> counters;
  std::map<std::string, double> metrics;
  for (int64_t i = 0; i < stmt.value("repeat", int64_t{1}); ++i) r.run(counters, metrics, nullptr);
  return counters["env_steps"];
}

class Sampler {
 public:
  Sampler(Runtime& rt, const Graph& g)
      : node_(rt.block("sample")), schema_(g.blocks.at("sample").node_type->schema), out_(schema_.outputs.size()) {}
  Batch draw() {
    CallContext ctx(schema_, nullptr, out_.data());  // the sampler has no inputs
    node_.run(ctx);
    return {out_[schema_.output_index("obs")], out_[schema_.output_index("action")],
            out_[schema_.output_index("reward")]};
  }
  TensorDict state() const {
    TensorDict st;
    node_.save_state(st);
    return st;
  }
  void restore(const TensorDict& st) { node_.load_state(st); }

 private:
  Node& node_;
  const NodeSchema& schema_;
  std::vector<at::Tensor> out_;
};

// ---- checks ------------------------------------------------------------------------------------

// The agreement check runs at 1 thread: with more, the two sides' reductions may split differently,
// and Adam's first step (g / (|g| + eps)) turns 1e-6 differences in near-zero gradients into
// weight differences of up to the learning rate. Timing then runs at the requested threads.
class OneThread {
 public:
  OneThread() : threads_(at::get_num_threads()) { at::set_num_threads(1); }
  ~OneThread() { at::set_num_threads(threads_); }

 private:
  int threads_;
};

// max |engine - hand| <= tol * max(1, max |hand|); prints scalars when asked.
inline bool close(const at::Tensor& a, const at::Tensor& b, const std::string& what, double tol, bool print) {
  if (!a.defined() || !b.defined() || a.sizes() != b.sizes()) {
    std::printf("MISMATCH %s: shapes differ\n", what.c_str());
    return false;
  }
  const double diff = (a.detach() - b.detach()).abs().max().item<double>();
  const double scale = std::max(1.0, b.detach().abs().max().item<double>());
  if (print)
    std::printf("  %-16s engine %12.6f  hand %12.6f  |diff| %.3g\n", what.c_str(), a.item<double>(), b.item<double>(),
                diff);
  if (diff <= tol * scale) return true;
  std::printf("MISMATCH %s: max |engine - hand| = %.3g\n", what.c_str(), diff);
  return false;
}

// Every engine weight after an update against its hand-written copy (<= 1e-5), and the clipped
// gradient its step used (<= 1e-4).
inline bool weights_agree(Runtime& rt, const Copies& copies) {
  bool ok = true;
  double max_w = 0, max_g = 0;
  for (const auto& [block, m] : rt.modules()) {
    for (const auto& item : m->named_parameters()) {
      const at::Tensor& p = item.value();
      const at::Tensor& mine = copies.of(p);
      const std::string what = block + "." + item.key();
      ok &= close(p, mine, what, 1e-5, false) && close(p.grad(), mine.grad(), what + " grad", 1e-4, false);
      max_w = std::max(max_w, (p - mine).abs().max().item<double>());
      max_g = std::max(max_g, (p.grad() - mine.grad()).abs().max().item<double>());
    }
  }
  std::printf("  every weight: max |diff| %.3g after the update, %.3g in its gradient\n", max_w, max_g);
  return ok;
}

// The first update of each side: every named output (engine, hand; <= 1e-5 relative) and every
// weight and gradient. Prints the verdict; false when they disagree.
using Outputs = std::vector<std::tuple<std::string, at::Tensor, at::Tensor>>;

inline bool updates_agree(const Outputs& outputs, Runtime& rt, const Copies& copies) {
  bool ok = true;
  for (const auto& [name, e, h] : outputs) ok &= close(e, h, name, 1e-5, true);
  ok &= weights_agree(rt, copies);
  std::printf(ok ? "engine and hand-written updates agree (same batch, weights and noise)\n"
                 : "engine and hand-written updates disagree: the comparison would be meaningless\n");
  return ok;
}

// ---- timing ------------------------------------------------------------------------------------

// Wall time, and the process's CPU time: on a shared machine the CPU time leaves out the time this
// process waited for a core (it still includes what sharing caches and memory bandwidth costs).
struct Times {
  double wall, cpu;
};

inline double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

inline Times timed(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = cpu_seconds();
  f();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), cpu_seconds() - c0};
}

// One warm-up pair, then `samples` pairs, interleaved and alternating which goes first; prints each
// sample, the medians of wall and CPU time with their ratios, and the headline ratio of the wall
// medians against the target.
inline void compare(const std::string& title, int samples, const std::function<void()>& engine_update,
                    const std::function<void()>& hand_update) {
  timed(engine_update), timed(hand_update);
  std::vector<double> te, th, ratio, ce, ch, cpu_ratio;
  for (int i = 0; i < samples; ++i) {
    Times e, h;
    if (i % 2 == 0) e = timed(engine_update), h = timed(hand_update);
    else h = timed(hand_update), e = timed(engine_update);
    te.push_back(e.wall), th.push_back(h.wall), ratio.push_back(e.wall / h.wall);
    ce.push_back(e.cpu), ch.push_back(h.cpu), cpu_ratio.push_back(e.cpu / h.cpu);
    std::printf("  sample %2d: engine %8.1f ms (cpu %8.1f), hand %8.1f ms (cpu %8.1f)\n", i + 1, 1e3 * e.wall,
                1e3 * e.cpu, 1e3 * h.wall, 1e3 * h.cpu);
    std::fflush(stdout);
  }
  const double r = median(te) / median(th);
  std::printf("\n%s; %d samples\n", title.c_str(), samples);
  std::printf("%-28s %12s %12s %8s %16s\n", "ms per update (median)", "engine", "hand", "ratio", "median pairwise");
  std::printf("%-28s %12.1f %12.1f %8.3f %16.3f\n", "update (wall)", 1e3 * median(te), 1e3 * median(th), r,
              median(ratio));
  std::printf("%-28s %12.1f %12.1f %8.3f %16.3f\n", "update (process CPU time)", 1e3 * median(ce), 1e3 * median(ch),
              median(ce) / median(ch), median(cpu_ratio));
  std::printf("min (wall): engine %.1f ms, hand %.1f ms\n", 1e3 * *std::min_element(te.begin(), te.end()),
              1e3 * *std::min_element(th.begin(), th.end()));
  std::printf("\nratio = %.3f (target <= 1.05)%s\n", r, r <= 1.05 ? "" : "  MISSED");
}

}  // namespace lf::bench::hand
