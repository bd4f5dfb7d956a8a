// bench/dreamer_update: one Dreamer update through the engine vs. the same update written by hand
// in LibTorch.
//
// (a) The engine runs the flow "train" of graphs/dreamer_state.json unchanged (Dreamer on
// pendulum_swingup from the state vector): draw a [B, T] batch, the world model's observe scan,
// losses and Adam step, then imagination over H steps from every posterior state, lambda-returns,
// the actor's and the value's Adam steps. (b) The hand-written update does the same math with at::
// ops and torch::optim::Adam on its own copy of the initial weights (so the two sides never share
// weights or optimizer state), drawing its noise from generators seeded as the engine seeds the
// posterior, prior and imagination sampler nodes. Both sides draw their batches from the graph's
// replay.sample block (called directly by the hand-written side: the sampling code is the same,
// and it costs ~0.2 ms of an update of seconds), which the graph's own prefill rollout has filled.
// Before timing, one update of each side from the same batch (the sampler's generator is rewound
// between them) must agree: losses, gradient norms, every gradient and every updated weight (exit
// 1 otherwise).
//
// Engine and hand-written updates are interleaved, alternating which goes first; medians of wall
// time are reported with their ratio (target engine / hand <= 1.05), and those of the process's CPU
// time, which a shared machine disturbs less. The exit status is 0 whatever the ratio is.
//
// Usage: dreamer_update [--graph PATH] [--samples N] [--threads N]
//
// The heap is the engine's (engine/allocator.h), as in `engine run`.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/module.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>

#include "bench_support.h"
#include "plan.h"
#include "rollout.h"
#include "runtime.h"
#include "workspace.h"

#ifndef LATENTFLOW_SOURCE_DIR
#define LATENTFLOW_SOURCE_DIR "."
#endif

namespace {

using Clock = std::chrono::steady_clock;
using lf::bench::median;
using lf::bench::out_index;
using lf::bench::param;
using nlohmann::json;

const double kHalfLog2Pi = 0.5 * std::log(2.0 * M_PI);

// ---- what the hand-written update hard-codes, checked against the graph -------------------------

// The resolved params of a block ("cell") or of a flow's inline node ("train/kl").
const json& params_of(const lf::Graph& g, const std::string& where) {
  const auto slash = where.find('/');
  if (slash == std::string::npos) return g.blocks.at(where).params;
  const lf::Flow& f = g.flows.at(where.substr(0, slash));
  return f.nodes.at(static_cast<size_t>(f.node_index(where.substr(slash + 1)))).params;
}

// The structure of the update (ELU everywhere, sampled heads, unit-weighted losses, ...) is the
// hand-written code's; every number it uses is read from the graph.
bool check_structure(const lf::Graph& g) {
  const std::vector<std::tuple<std::string, std::string, json>> expected = {
      {"encoder", "activation", "elu"},     {"decoder", "activation", "elu"},
      {"reward", "activation", "elu"},      {"value", "activation", "elu"},
      {"encoder", "layer_norm", false},     {"decoder", "layer_norm", false},
      {"reward", "layer_norm", false},      {"value", "layer_norm", false},
      {"encoder", "out_activation", "none"}, {"decoder", "out_activation", "none"},
      {"reward", "out_activation", "none"}, {"value", "out_activation", "none"},
      {"cell", "act", "elu"},               {"prior", "act", "elu"},
      {"posterior", "act", "elu"},          {"actor", "activation", "elu"},
      {"prior", "sample", true},            {"posterior", "sample", true},
      {"sample", "start", "any"},           {"imagine_step/pi", "mode", "sample"},
      {"train/obs_nll", "event_dims", 1},   {"train/obs_nll", "std", 1.0},
      {"train/reward_nll", "event_dims", 0}, {"train/reward_nll", "std", 1.0},
      {"train/kl", "free_nats_mode", "batch_mean"}, {"train/kl", "event_dims", 1},
      {"train/model_loss", "weights", json::array({1.0, 1.0, 1.0})},
      {"train/value_in", "dim", 1},         {"train/value_in", "start", 0},
      {"train/value_in", "stop", -1},       {"train/flat_h", "start", 0},
      {"train/flat_h", "end", 1},           {"train/flat_s", "start", 0},
      {"train/flat_s", "end", 1},
      {"model_adam", "blocks", json::array({"encoder", "decoder", "cell", "prior", "posterior", "reward"})},
      {"actor_adam", "blocks", json::array({"actor"})},
      {"value_adam", "blocks", json::array({"value"})},
      {"model_adam", "weight_decay", 0.0},  {"actor_adam", "weight_decay", 0.0},
      {"value_adam", "weight_decay", 0.0},
  };
  bool ok = true;
  for (const auto& [where, key, value] : expected) {
    const json& p = params_of(g, where);
    if (p.contains(key) && p.at(key) == value) continue;
    std::printf("the graph's %s.%s is %s; this bench's hand-written update assumes %s\n", where.c_str(), key.c_str(),
                p.contains(key) ? p.at(key).dump().c_str() : "missing", value.dump().c_str());
    ok = false;
  }
  for (const char* opt : {"model_adam", "actor_adam", "value_adam"}) {
    if (params_of(g, opt).at("clip").get<double>() > 0) continue;
    std::printf("the graph's %s does not clip; this bench's hand-written update always clips\n", opt);
    ok = false;
  }
  return ok;
}

// The numbers of the update, from the graph.
struct Settings {
  int64_t batch, length, horizon;
  double prior_min_std, post_min_std;
  double mean_scale, raw_init_std, actor_min_std;  // rl.tanh_normal_actor
  double free_nats, gamma, lambda;
  struct Opt {
    double lr, eps, clip;
  } model, actor, value;

  explicit Settings(const lf::Graph& g) {
    auto f = [&](const std::string& where, const std::string& key) { return params_of(g, where).at(key).get<double>(); };
    auto i = [&](const std::string& where, const std::string& key) { return params_of(g, where).at(key).get<int64_t>(); };
    batch = i("sample", "batch");
    length = i("sample", "length");
    horizon = params_of(g, "train/ticks").at("shape").at(1).get<int64_t>();
    prior_min_std = f("prior", "min_std");
    post_min_std = f("posterior", "min_std");
    mean_scale = f("actor", "mean_scale");
    const double init_std = f("actor", "init_std");
    raw_init_std = init_std + std::log1p(-std::exp(-init_std));  // softplus^-1(init_std)
    actor_min_std = f("actor", "min_std");
    free_nats = f("train/kl", "free_nats");
    gamma = f("train/returns", "gamma");
    lambda = f("train/returns", "lambda");
    for (auto [name, opt] : {std::pair{"model_adam", &model}, {"actor_adam", &actor}, {"value_adam", &value}})
      *opt = {f(name, "lr"), f(name, "eps"), f(name, "clip")};
  }
};

// ---- the hand-written update's weights: its own copies of the engine's initial weights ----------

// A copy of every engine parameter, found by the engine tensor it copies.
class Copies {
 public:
  explicit Copies(lf::Runtime& rt) {
    for (const auto& [name, m] : rt.modules())
      for (const auto& p : m->parameters()) copy_[p.unsafeGetTensorImpl()] = p.detach().clone().requires_grad_();
  }
  const at::Tensor& of(const at::Tensor& engine_param) const { return copy_.at(engine_param.unsafeGetTensorImpl()); }

 private:
  std::map<const c10::TensorImpl*, at::Tensor> copy_;
};

// nn.mlp and rl.tanh_normal_actor: Linear "fc0".."fc{n-1}" each followed by ELU, then "out".
struct Mlp {
  std::vector<at::Tensor> w, b;
};

struct Head {  // rssm's Gaussian head: Linear "hidden", act, Linear "out" -> mean, softplus + min_std
  at::Tensor w1, b1, w2, b2;
};

struct Weights {
  Mlp encoder, decoder, reward, value, actor;
  at::Tensor in_w, in_b, w_ih, w_hh, b_ih, b_hh;  // rssm.deterministic: "in" Linear, "gru" GRUCell
  Head prior, post;
};

Weights hand_weights(lf::Runtime& rt, const lf::Graph& g, const Copies& copies) {
  auto mods = rt.modules();
  auto w = [&](const std::string& block, const std::string& name) { return copies.of(param(mods.at(block), block, name)); };
  auto mlp = [&](const std::string& block) {
    Mlp m;
    const size_t hidden = params_of(g, block).at("hidden").size();
    for (size_t i = 0; i <= hidden; ++i) {
      const std::string layer = i < hidden ? "fc" + std::to_string(i) : "out";
      m.w.push_back(w(block, layer + ".weight"));
      m.b.push_back(w(block, layer + ".bias"));
    }
    return m;
  };
  auto head = [&](const std::string& block) {
    return Head{w(block, "hidden.weight"), w(block, "hidden.bias"), w(block, "out.weight"), w(block, "out.bias")};
  };
  return {mlp("encoder"),          mlp("decoder"),          mlp("reward"),           mlp("value"),
          mlp("actor"),            w("cell", "in.weight"),  w("cell", "in.bias"),    w("cell", "gru.weight_ih"),
          w("cell", "gru.weight_hh"), w("cell", "gru.bias_ih"), w("cell", "gru.bias_hh"), head("prior"),
          head("posterior")};
}

// An optimizer's parameters, in the engine's order (its blocks list, each module's own order).
std::vector<at::Tensor> hand_params(lf::Runtime& rt, const lf::Graph& g, const Copies& copies, const std::string& opt) {
  std::vector<at::Tensor> out;
  auto mods = rt.modules();
  for (const auto& block : params_of(g, opt).at("blocks"))
    for (const auto& p : mods.at(block.get<std::string>())->parameters()) out.push_back(copies.of(p));
  return out;
}

// ---- hand-written LibTorch: the math of plugins/{nn,rssm,losses,rl,optim} for the train flow ----

at::Tensor mlp(const Mlp& m, at::Tensor x) {
  for (size_t i = 0; i + 1 < m.w.size(); ++i) x = at::elu(at::linear(x, m.w[i], m.b[i]));
  return at::linear(x, m.w.back(), m.b.back());
}

struct Gaussian {
  at::Tensor mean, std, sample;
};

Gaussian head(const Head& w, const at::Tensor& x, double min_std, at::Generator& gen) {
  auto stats = at::linear(at::elu(at::linear(x, w.w1, w.b1)), w.w2, w.b2).chunk(2, -1);
  Gaussian out{stats[0], at::softplus(stats[1]) + min_std, {}};
  out.sample = out.mean + out.std * at::randn(out.mean.sizes(), gen, out.mean.options().requires_grad(false));
  return out;
}

at::Tensor gru_step(const Weights& w, const at::Tensor& h, const at::Tensor& s, const at::Tensor& a) {
  return at::gru_cell(at::elu(at::linear(at::cat({s, a}, -1), w.in_w, w.in_b)), h, w.w_ih, w.w_hh, w.b_ih, w.b_hh);
}

struct Gens {
  at::Generator post, prior, pi;
};

struct Optimizer {
  std::vector<at::Tensor> params;
  double clip;
  torch::optim::Adam adam;
  Optimizer(std::vector<at::Tensor> p, const Settings::Opt& o)
      : params(p), clip(o.clip), adam(std::move(p), torch::optim::AdamOptions(o.lr).eps(o.eps)) {}

  // Gradients into this optimizer's weights only, global-norm clipping, Adam; the norm before clipping.
  double step(const at::Tensor& loss) {
    for (auto& p : params) p.mutable_grad().reset();
    loss.backward({}, c10::nullopt, false, at::TensorList(params));
    const double norm = torch::nn::utils::clip_grad_norm_(params, clip);
    adam.step();
    return norm;
  }
};

struct Batch {
  at::Tensor obs, action, reward;
};

struct Result {  // the train flow's outputs
  at::Tensor model_loss, obs_nll, reward_nll, kl_raw, actor_loss, value_loss;
  double model_norm, actor_norm, value_norm;
};

Result hand_update(const Settings& c, const Weights& w, Optimizer& model_opt, Optimizer& actor_opt,
                   Optimizer& value_opt, Gens& gens, const Batch& batch) {
  Result r;
  // World model: observe the batch from a zero state.
  const int64_t batch_size = batch.obs.size(0), steps = batch.obs.size(1);
  const auto embed = mlp(w.encoder, batch.obs);
  at::Tensor h = at::zeros({batch_size, w.w_hh.size(1)}), s = at::zeros({batch_size, w.prior.w2.size(0) / 2});
  std::vector<at::Tensor> hs, ss, prior_mean, prior_std, post_mean, post_std;
  for (int64_t t = 0; t < steps; ++t) {
    h = gru_step(w, h, s, batch.action.select(1, t));
    const Gaussian prior = head(w.prior, h, c.prior_min_std, gens.prior);  // its sample is drawn, unused
    const Gaussian post = head(w.post, at::cat({h, embed.select(1, t)}, -1), c.post_min_std, gens.post);
    s = post.sample;
    hs.push_back(h);
    ss.push_back(s);
    prior_mean.push_back(prior.mean);
    prior_std.push_back(prior.std);
    post_mean.push_back(post.mean);
    post_std.push_back(post.std);
  }
  const auto h_seq = at::stack(hs, 1), s_seq = at::stack(ss, 1);
  const auto feat = at::cat({h_seq, s_seq}, -1);
  r.obs_nll = (0.5 * (batch.obs - mlp(w.decoder, feat)).square() + kHalfLog2Pi).sum(-1).mean();
  r.reward_nll = (0.5 * (batch.reward - mlp(w.reward, feat).squeeze(-1)).square() + kHalfLog2Pi).mean();
  const auto mq = at::stack(post_mean, 1), sq = at::stack(post_std, 1);
  const auto mp = at::stack(prior_mean, 1), sp = at::stack(prior_std, 1);
  const auto kl = ((sp / sq).log() + (sq.square() + (mq - mp).square()) / (2 * sp.square()) - 0.5).sum(-1).mean();
  r.kl_raw = kl.detach();
  r.model_loss = r.obs_nll + r.reward_nll + kl.clamp_min(c.free_nats);
  r.model_norm = model_opt.step(r.model_loss);

  // Imagination from every posterior state, with the updated model.
  h = h_seq.detach().flatten(0, 1);
  s = s_seq.detach().flatten(0, 1);
  std::vector<at::Tensor> img;
  for (int64_t t = 0; t < c.horizon; ++t) {
    const auto raw = mlp(w.actor, at::cat({h, s}, -1).detach()).chunk(2, -1);
    const auto mean = c.mean_scale * at::tanh(raw[0] / c.mean_scale);
    const auto std = at::softplus(raw[1] + c.raw_init_std) + c.actor_min_std;
    const auto action = at::tanh(mean + std * at::randn(mean.sizes(), gens.pi, mean.options().requires_grad(false)));
    h = gru_step(w, h, s, action);
    s = head(w.prior, h, c.prior_min_std, gens.prior).sample;
    img.push_back(at::cat({h, s}, -1));
  }
  const auto img_feat = at::stack(img, 1);  // [B*T, H, features]
  const auto reward = mlp(w.reward, img_feat).squeeze(-1), value = mlp(w.value, img_feat).squeeze(-1);

  // Lambda-returns R_0..R_{H-2}, bootstrapped from the last value; gamma^t weights.
  const int64_t H = c.horizon;
  std::vector<at::Tensor> returns(static_cast<size_t>(H - 1));
  at::Tensor next = value.select(1, H - 1);
  for (int64_t t = H - 2; t >= 0; --t) {
    next = reward.select(1, t) + c.gamma * ((1 - c.lambda) * value.select(1, t + 1) + c.lambda * next);
    returns[static_cast<size_t>(t)] = next;
  }
  const auto ret = at::stack(returns, 1);
  const auto weight = at::pow(c.gamma, at::arange(H - 1, reward.options().requires_grad(false)))
                          .unsqueeze(0)
                          .expand({reward.size(0), H - 1});
  r.actor_loss = -(weight * ret).mean();
  r.actor_norm = actor_opt.step(r.actor_loss);

  const auto value_pred = mlp(w.value, img_feat.detach().narrow(1, 0, H - 1)).squeeze(-1);
  r.value_loss = (weight * (0.5 * (ret.detach() - value_pred).square() + kHalfLog2Pi)).mean();
  r.value_norm = value_opt.step(r.value_loss);
  return r;
}

// ---- the replay: the graph's prefill, and the sample block called directly ----------------------

// Runs the graph's first program statement (the prefill: random-action episodes into the replay).
int64_t prefill(lf::Runtime& rt, const lf::Graph& g) {
  const json& stmt = g.program.at(0);
  const json& rollout = stmt.at("do").at(0);
  lf::Rollout r(rt, rollout);
  std::map<std::string, int64_t> counters;
  std::map<std::string, double> metrics;
  for (int64_t i = 0; i < stmt.value("repeat", int64_t{1}); ++i) r.run(counters, metrics, nullptr);
  return counters["env_steps"];
}

class Sampler {
 public:
  Sampler(lf::Runtime& rt, const lf::Graph& g)
      : node_(rt.block("sample")), schema_(g.blocks.at("sample").node_type->schema), out_(schema_.outputs.size()) {}
  Batch draw() {
    lf::CallContext ctx(schema_, nullptr, out_.data());  // the sampler has no inputs
    node_.run(ctx);
    return {out_[schema_.output_index("obs")], out_[schema_.output_index("action")],
            out_[schema_.output_index("reward")]};
  }
  lf::TensorDict state() const {
    lf::TensorDict st;
    node_.save_state(st);
    return st;
  }
  void restore(const lf::TensorDict& st) { node_.load_state(st); }

 private:
  lf::Node& node_;
  const lf::NodeSchema& schema_;
  std::vector<at::Tensor> out_;
};

// ---- timing ------------------------------------------------------------------------------------

// Wall time, and the process's CPU time: on a shared machine the CPU time leaves out the time this
// process waited for a core (it still includes what sharing caches and memory bandwidth costs).
struct Times {
  double wall, cpu;
};

double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

template <class F>
Times timed(F&& f) {
  const auto t0 = Clock::now();
  const double c0 = cpu_seconds();
  f();
  return {std::chrono::duration<double>(Clock::now() - t0).count(), cpu_seconds() - c0};
}

// ---- checks ------------------------------------------------------------------------------------

// max |engine - hand| <= tol * max(1, max |hand|).
bool close(const at::Tensor& a, const at::Tensor& b, const std::string& what, double tol, bool print) {
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

}  // namespace

int main(int argc, char** argv) {
  const lf::bench::CompareArgs args =
      lf::bench::parse_compare_args(argc, argv, std::string(LATENTFLOW_SOURCE_DIR) + "/graphs/dreamer_state.json");
  lf::Workspace ws({});
  auto graph = lf::bench::setup(ws, args.graph, args.threads);
  if (!graph) return 1;
  if (!check_structure(*graph)) return 1;
  const Settings c(*graph);
  const uint64_t seed = 1;
  lf::Runtime rt(*graph, {seed, 1, false});
  lf::FlowPlan& train = rt.plan("train");
  const Copies copies(rt);
  const Weights w = hand_weights(rt, *graph, copies);
  Optimizer model_opt(hand_params(rt, *graph, copies, "model_adam"), c.model);
  Optimizer actor_opt(hand_params(rt, *graph, copies, "actor_adam"), c.actor);
  Optimizer value_opt(hand_params(rt, *graph, copies, "value_adam"), c.value);
  // The same noise: generators seeded as the engine seeds the blocks and the imagination's
  // sampler node (an inline node of imagine_step), drawing in the engine's order.
  Gens gens{at::make_generator<at::CPUGeneratorImpl>(rt.seed_for("posterior")),
            at::make_generator<at::CPUGeneratorImpl>(rt.seed_for("prior")),
            at::make_generator<at::CPUGeneratorImpl>(rt.seed_for("imagine_step/pi"))};

  const auto t_prefill = Clock::now();
  const int64_t env_steps = prefill(rt, *graph);
  std::printf("prefill: %lld env steps of random actions into the replay (%.1f s)\n", (long long)env_steps,
              std::chrono::duration<double>(Clock::now() - t_prefill).count());
  Sampler sampler(rt, *graph);

  std::vector<const at::Tensor*> in(train.num_inputs(), &lf::unconnected());
  std::vector<at::Tensor> out(train.num_outputs());

  // ---- agreement: one update of each side from the same batch, weights and noise ----
  {
    const lf::TensorDict sampler_state = sampler.state();
    const auto t0 = Clock::now();
    train.run(in.data(), out.data());
    const double t_engine = std::chrono::duration<double>(Clock::now() - t0).count();
    sampler.restore(sampler_state);
    const auto t1 = Clock::now();
    const Result r = hand_update(c, w, model_opt, actor_opt, value_opt, gens, sampler.draw());
    const double t_hand = std::chrono::duration<double>(Clock::now() - t1).count();
    std::printf("first update: engine %.0f ms, hand %.0f ms\n", 1e3 * t_engine, 1e3 * t_hand);
    auto o = [&](const char* name) { return out[out_index(train, name)]; };
    auto norm = [](double v) { return at::scalar_tensor(v, at::kFloat); };
    const std::vector<std::tuple<std::string, at::Tensor, at::Tensor>> outputs = {
        {"model_loss", o("model_loss"), r.model_loss},
        {"obs_nll", o("obs_nll"), r.obs_nll},
        {"reward_nll", o("reward_nll"), r.reward_nll},
        {"kl", o("kl"), r.kl_raw},
        {"model_grad_norm", o("model_grad_norm"), norm(r.model_norm)},
        {"actor_loss", o("actor_loss"), r.actor_loss},
        {"actor_grad_norm", o("actor_grad_norm"), norm(r.actor_norm)},
        {"value_loss", o("value_loss"), r.value_loss},
        {"value_grad_norm", o("value_grad_norm"), norm(r.value_norm)},
    };
    bool ok = true;
    for (const auto& [name, e, h] : outputs) ok &= close(e, h, name, 1e-5, true);
    // Every weight after the update and the (clipped) gradient its step used.
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
    if (!ok) {
      std::printf("engine and hand-written updates disagree: the comparison would be meaningless\n");
      return 1;
    }
  }
  std::printf("engine and hand-written updates agree (same batch, weights and noise)\n");

  auto engine = [&] {
    return timed([&] {
      train.run(in.data(), out.data());
      for (auto& t : out) t.reset();
    });
  };
  auto hand = [&] { return timed([&] { hand_update(c, w, model_opt, actor_opt, value_opt, gens, sampler.draw()); }); };
  engine(), hand();  // warm-up
  std::vector<double> te, th, ratio, ce, ch, cpu_ratio;
  for (int i = 0; i < args.samples; ++i) {
    Times e, h;
    if (i % 2 == 0) e = engine(), h = hand();
    else h = hand(), e = engine();
    te.push_back(e.wall);
    th.push_back(h.wall);
    ratio.push_back(e.wall / h.wall);
    ce.push_back(e.cpu);
    ch.push_back(h.cpu);
    cpu_ratio.push_back(e.cpu / h.cpu);
    std::printf("  sample %2d: engine %8.1f ms (cpu %8.1f), hand %8.1f ms (cpu %8.1f)\n", i + 1, 1e3 * e.wall,
                1e3 * e.cpu, 1e3 * h.wall, 1e3 * h.cpu);
    std::fflush(stdout);
  }
  const double r = median(te) / median(th);
  std::printf("\nDreamer update (flow train of %s): B=%lld T=%lld H=%lld; %d thread(s); %d samples\n",
              graph->file.c_str(), (long long)c.batch, (long long)c.length, (long long)c.horizon, args.threads,
              args.samples);
  std::printf("%-28s %12s %12s %8s %16s\n", "ms per update (median)", "engine", "hand", "ratio", "median pairwise");
  std::printf("%-28s %12.1f %12.1f %8.3f %16.3f\n", "update (wall)", 1e3 * median(te), 1e3 * median(th), r,
              median(ratio));
  std::printf("%-28s %12.1f %12.1f %8.3f %16.3f\n", "update (process CPU time)", 1e3 * median(ce), 1e3 * median(ch),
              median(ce) / median(ch), median(cpu_ratio));
  std::printf("min (wall): engine %.1f ms, hand %.1f ms\n", 1e3 * *std::min_element(te.begin(), te.end()),
              1e3 * *std::min_element(th.begin(), th.end()));
  std::printf("\nratio = %.3f (target <= 1.05)%s\n", r, r <= 1.05 ? "" : "  MISSED");
  return 0;
}
