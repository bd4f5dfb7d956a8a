// bench/planet_update: one PlaNet model update through the engine vs. the same update written by
// hand in LibTorch, at Kaixhin/PlaNet's symbolic sizes by default.
//
// (a) The engine runs the flow "train" of graphs/planet_state.json unchanged: draw a [B, T] batch,
// the MLP encoder, the observe scan of the RSSM, decoder and reward head, Gaussian log-likelihoods
// and the KL with free nats per step, one Adam step. The default --set values give the public
// PlaNet's symbolic sizes (encoder 5 -> 1024 -> 1024 -> 1024, decoder 230 -> 1024 -> 1024 -> 5,
// reward 2 x 200, B = T = 50; deter 200, stoch 30, hidden 200 are the graph's). (b) The
// hand-written update (rssm_hand.h) does the same math with at:: ops and torch::optim::Adam on its
// own copy of the initial weights, with generators seeded as the engine seeds the prior and
// posterior. Both draw batches from the graph's replay.sample block, filled by the graph's own
// seed episodes. Before timing, one update of each side from the same batch must agree (losses,
// gradient norm, every gradient and updated weight; exit 1 otherwise).
//
// The process is set up as `engine run --threads N` sets itself up: the Workspace configures the
// heap (engine/allocator.h), torch gets N intra-op threads. Updates are interleaved, alternating
// which side goes first; the ratio of the wall-time medians is the headline (target <= 1.05).
//
// Usage: planet_update [--graph PATH] [--preset P]... [--set KEY=VALUE]... [--samples N] [--threads N]
#include <chrono>
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

using namespace lf::bench::hand;
using lf::bench::out_index;

// Kaixhin/PlaNet's symbolic model (its main.py defaults for non-pixel observations).
const std::vector<std::string> kPublicSizes = {"vars.embed=1024", "blocks.encoder.hidden=[1024,1024]",
                                               "vars.reward_hidden=[200,200]"};

struct Result {
  Observed model;
  double norm;
};

}  // namespace

int main(int argc, char** argv) {
  const lf::bench::CompareArgs args = lf::bench::parse_compare_args(
      argc, argv, std::string(LATENTFLOW_SOURCE_DIR) + "/graphs/planet_state.json", kPublicSizes);
  lf::Workspace ws({});
  auto graph = lf::bench::setup(ws, args);
  if (!graph || !check_params(*graph, world_model_structure())) return 1;
  lf::Runtime rt(*graph, {/*seed=*/1, 1, false});
  lf::FlowPlan& train = rt.plan("train");
  const Copies copies(rt);
  const WorldModel w(rt, *graph, copies);
  Optimizer opt(rt, *graph, copies, "model_adam");
  at::Generator prior = at::make_generator<at::CPUGeneratorImpl>(rt.seed_for("prior"));
  at::Generator post = at::make_generator<at::CPUGeneratorImpl>(rt.seed_for("posterior"));
  auto hand_update = [&](const Batch& batch) {
    Result r{world_model_loss(w, prior, post, batch), 0};
    r.norm = opt.step(r.model.loss);
    return r;
  };

  const int64_t env_steps = prefill(rt, *graph);
  std::printf("seed episodes: %lld env steps of random actions into the replay\n", (long long)env_steps);
  Sampler sampler(rt, *graph);
  std::vector<const at::Tensor*> in(train.num_inputs(), &lf::unconnected());
  std::vector<at::Tensor> out(train.num_outputs());

  // Agreement: one update of each side from the same batch, weights and noise.
  {
    const OneThread one_thread;
    const lf::TensorDict sampler_state = sampler.state();
    train.run(in.data(), out.data());
    sampler.restore(sampler_state);
    const Result r = hand_update(sampler.draw());
    auto o = [&](const char* name) { return out[out_index(train, name)]; };
    const Outputs outputs = {
        {"loss", o("loss"), r.model.loss},
        {"obs_nll", o("obs_nll"), r.model.obs_nll},
        {"reward_nll", o("reward_nll"), r.model.reward_nll},
        {"kl", o("kl"), r.model.kl_raw},
        {"grad_norm", o("grad_norm"), at::scalar_tensor(r.norm, at::kFloat)},
    };
    if (!updates_agree(outputs, rt, copies)) return 1;
  }

  const json& sample = params_of(*graph, "sample");
  compare("PlaNet model update (flow train of " + graph->file + "): B=" + sample.at("batch").dump() +
              " T=" + sample.at("length").dump() + ", encoder " + params_of(*graph, "encoder").at("hidden").dump() +
              " -> " + params_of(*graph, "encoder").at("out_dim").dump() + "; " + std::to_string(args.threads) +
              " thread(s)",
          args.samples,
          [&] {
            train.run(in.data(), out.data());
            for (auto& t : out) t.reset();
          },
          [&] { hand_update(sampler.draw()); });
  return 0;
}
