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
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "bench_support.h"
#include "plan.h"
#include "rssm_hand.h"
#include "runtime.h"
#include "workspace.h"

#ifndef LATENTFLOW_SOURCE_DIR
#define LATENTFLOW_SOURCE_DIR "."
#endif

namespace {

using Clock = std::chrono::steady_clock;
using namespace lf::bench::hand;
using lf::bench::out_index;

// The structure of the update beyond the world model (ELU everywhere, sampled actions, ...) is the
// hand-written code's; every number it uses is read from the graph.
bool check_structure(const lf::Graph& g) {
  Expected e = world_model_structure();
  const Expected behaviour = {
      {"encoder", "activation", "elu"},    {"decoder", "activation", "elu"},
      {"reward", "activation", "elu"},     {"value", "activation", "elu"},
      {"value", "layer_norm", false},      {"value", "out_activation", "none"},
      {"cell", "act", "elu"},              {"actor", "activation", "elu"},
      {"imagine_step/pi", "mode", "sample"}, {"train/model_loss", "weights", json::array({1.0, 1.0, 1.0})},
      {"train/kl", "free_nats_mode", "batch_mean"},
      {"train/value_in", "dim", 1},        {"train/value_in", "start", 0},
      {"train/value_in", "stop", -1},      {"train/flat_h", "start", 0},
      {"train/flat_h", "end", 1},          {"train/flat_s", "start", 0},
      {"train/flat_s", "end", 1},
      {"actor_adam", "blocks", json::array({"actor"})},
      {"value_adam", "blocks", json::array({"value"})},
      {"actor_adam", "weight_decay", 0.0}, {"value_adam", "weight_decay", 0.0},
  };
  e.insert(e.end(), behaviour.begin(), behaviour.end());
  return check_params(g, e);
}

// Behaviour learning: the actor (rl.tanh_normal_actor) and the value head, with the numbers of the
// imagination and the lambda-returns.
struct Behaviour {
  Mlp actor, value;
  int64_t horizon;
  double mean_scale, raw_init_std, actor_min_std, gamma, lambda;

  Behaviour(lf::Runtime& rt, const lf::Graph& g, const Copies& copies) {
    const WeightReader w(rt, g, copies);
    actor = w.mlp("actor"), value = w.mlp("value");
    horizon = params_of(g, "train/ticks").at("shape").at(1).get<int64_t>();
    mean_scale = f_param(g, "actor", "mean_scale");
    const double init_std = f_param(g, "actor", "init_std");
    raw_init_std = init_std + std::log1p(-std::exp(-init_std));  // softplus^-1(init_std)
    actor_min_std = f_param(g, "actor", "min_std");
    gamma = f_param(g, "train/returns", "gamma");
    lambda = f_param(g, "train/returns", "lambda");
  }
};

struct Gens {
  at::Generator post, prior, pi;
};

struct Optimizers {
  Optimizer model, actor, value;
};

struct Result {  // the train flow's outputs
  Observed model;
  at::Tensor actor_loss, value_loss;
  double model_norm, actor_norm, value_norm;
};

// The math of plugins/{nn,rssm,losses,rl,optim} for the train flow.
Result hand_update(const WorldModel& w, const Behaviour& c, Optimizers& opt, Gens& gens, const Batch& batch) {
  Result r;
  r.model = world_model_loss(w, gens.prior, gens.post, batch);
  r.model_norm = opt.model.step(r.model.loss);

  // Imagination from every posterior state, with the updated model.
  at::Tensor h = r.model.h.detach().flatten(0, 1), s = r.model.s.detach().flatten(0, 1);
  std::vector<at::Tensor> img;
  for (int64_t t = 0; t < c.horizon; ++t) {
    const auto raw = mlp(c.actor, at::cat({h, s}, -1).detach()).chunk(2, -1);
    const auto mean = c.mean_scale * at::tanh(raw[0] / c.mean_scale);
    const auto std = at::softplus(raw[1] + c.raw_init_std) + c.actor_min_std;
    const auto action = at::tanh(mean + std * at::randn(mean.sizes(), gens.pi, mean.options().requires_grad(false)));
    h = w.step(h, s, action);
    s = sample_head(w.prior, h, gens.prior).sample;
    img.push_back(at::cat({h, s}, -1));
  }
  const auto img_feat = at::stack(img, 1);  // [B*T, H, features]
  const auto reward = mlp(w.reward, img_feat).squeeze(-1), value = mlp(c.value, img_feat).squeeze(-1);

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
  r.actor_norm = opt.actor.step(r.actor_loss);

  const auto value_pred = mlp(c.value, img_feat.detach().narrow(1, 0, H - 1)).squeeze(-1);
  r.value_loss = (weight * (0.5 * (ret.detach() - value_pred).square() + kHalfLog2Pi)).mean();
  r.value_norm = opt.value.step(r.value_loss);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const lf::bench::CompareArgs args =
      lf::bench::parse_compare_args(argc, argv, std::string(LATENTFLOW_SOURCE_DIR) + "/graphs/dreamer_state.json");
  lf::Workspace ws({});
  auto graph = lf::bench::setup(ws, args);
  if (!graph || !check_structure(*graph)) return 1;
  lf::Runtime rt(*graph, {/*seed=*/1, 1, false});
  lf::FlowPlan& train = rt.plan("train");
  const Copies copies(rt);
  const WorldModel w(rt, *graph, copies);
  const Behaviour c(rt, *graph, copies);
  Optimizers opt{{rt, *graph, copies, "model_adam"}, {rt, *graph, copies, "actor_adam"}, {rt, *graph, copies, "value_adam"}};
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
    const OneThread one_thread;
    const lf::TensorDict sampler_state = sampler.state();
    const Times e = timed([&] { train.run(in.data(), out.data()); });
    sampler.restore(sampler_state);
    Result r;
    const Times h = timed([&] { r = hand_update(w, c, opt, gens, sampler.draw()); });
    std::printf("first update: engine %.0f ms, hand %.0f ms\n", 1e3 * e.wall, 1e3 * h.wall);
    auto o = [&](const char* name) { return out[out_index(train, name)]; };
    auto norm = [](double v) { return at::scalar_tensor(v, at::kFloat); };
    const Outputs outputs = {
        {"model_loss", o("model_loss"), r.model.loss},
        {"obs_nll", o("obs_nll"), r.model.obs_nll},
        {"reward_nll", o("reward_nll"), r.model.reward_nll},
        {"kl", o("kl"), r.model.kl_raw},
        {"model_grad_norm", o("model_grad_norm"), norm(r.model_norm)},
        {"actor_loss", o("actor_loss"), r.actor_loss},
        {"actor_grad_norm", o("actor_grad_norm"), norm(r.actor_norm)},
        {"value_loss", o("value_loss"), r.value_loss},
        {"value_grad_norm", o("value_grad_norm"), norm(r.value_norm)},
    };
    if (!updates_agree(outputs, rt, copies)) return 1;
  }

  const json& sample = params_of(*graph, "sample");
  compare("Dreamer update (flow train of " + graph->file + "): B=" + sample.at("batch").dump() +
              " T=" + sample.at("length").dump() + " H=" + std::to_string(c.horizon) + "; " +
              std::to_string(args.threads) + " thread(s)",
          args.samples,
          [&] {
            train.run(in.data(), out.data());
            for (auto& t : out) t.reset();
          },
          [&] { hand_update(w, c, opt, gens, sampler.draw()); });
  return 0;
}
