#include "latent_overshooting.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

namespace lf::losses {
namespace {

constexpr const char* kNode = "losses.latent_overshooting";

// Position of `name` in a flow's port list, or an error naming the flow and the missing port.
size_t port(const std::vector<std::string>& names, const std::string& name, const std::string& flow,
            const char* what) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return static_cast<size_t>(it - names.begin());
  std::string have;
  for (const auto& n : names) have += (have.empty() ? "" : ", ") + n;
  throw std::invalid_argument(std::string(kNode) + ": model flow '" + flow + "' has no " + what + " '" +
                              name + "' (its " + what + "s: " + (have.empty() ? "none" : have) +
                              "); a prior step takes action, h, s and returns h, mean, std, s");
}

class LatentOvershooting : public Node {
  enum In { kH, kS, kPostMean, kPostStd, kAction, kH0, kS0 };
  enum Out { kKl, kKlRaw };
 public:
  LatentOvershooting(const Params& p, BuildContext& ctx)
      : flow_name_(p.s("model")),
        model_(ctx.flow(flow_name_)),
        distance_(p.i("distance")),
        free_nats_(p.f("free_nats")),
        beta_(p.f("beta")),
        stop_gradient_(p.b("stop_gradient")) {}

  void run(CallContext& ctx) override {
    if (!checked_) check_model();
    const auto &h = ctx.in(kH), &s = ctx.in(kS), &action = ctx.in(kAction);
    const auto &post_mean = ctx.in(kPostMean), &post_std = ctx.in(kPostStd);
    if (ctx.has(kH0) != ctx.has(kS0))
      throw std::invalid_argument(std::string(kNode) + ": connect both h0 and s0, or neither");
    const int64_t B = h.size(0), T = h.size(1);
    // o: the step the first start state precedes (0 with the scan's initial state, else 1).
    const int64_t o = ctx.has(kH0) ? 0 : 1;
    const int64_t starts = T - o;
    if (starts < 1)
      throw std::invalid_argument(std::string(kNode) + ": a sequence of T=" + std::to_string(T) +
                                  " steps has no pair (state, later posterior); need T >= 2 or h0/s0");
    at::Tensor state_h = h.slice(1, 0, T - 1), state_s = s.slice(1, 0, T - 1);
    if (o == 0) {
      state_h = at::cat({ctx.in(kH0).unsqueeze(1), state_h}, 1);
      state_s = at::cat({ctx.in(kS0).unsqueeze(1), state_s}, 1);
    }
    std::vector<at::Tensor> in(model_->input_names().size());
    at::Tensor kl, kl_raw, os_kl, os_raw;
    const int64_t steps = std::min(distance_, starts);
    for (int64_t k = 0; k < steps; ++k) {
      // After k+1 steps only the first n starts still have a target inside the sequence.
      const int64_t n = starts - k;
      auto rows = [&](const at::Tensor& x) { return x.slice(1, 0, n).reshape({B * n, x.size(2)}); };
      in[in_action_] = action.slice(1, o + k, T).reshape({B * n, action.size(2)});
      in[in_h_] = rows(state_h);
      in[in_s_] = rows(state_s);
      auto out = model_->call(in);
      auto mp = out[out_mean_].reshape({B, n, -1}), sp = out[out_std_].reshape({B, n, -1});
      at::Tensor mq = post_mean.slice(1, o + k, T), sq = post_std.slice(1, o + k, T);
      if (k > 0 && stop_gradient_) {
        mq = mq.detach();
        sq = sq.detach();
      }
      auto kl_event = ((sp / sq).log() + (sq.square() + (mq - mp).square()) / (2 * sp.square()) - 0.5).sum(-1);
      // clamp_min passes no gradient where the bound is active, as tf.maximum.
      auto clamped = kl_event.clamp_min(free_nats_).mean(), raw = kl_event.mean();
      if (k == 0) {
        kl = clamped, kl_raw = raw;
      } else {
        os_kl = os_kl.defined() ? os_kl + clamped : clamped;
        os_raw = os_raw.defined() ? os_raw + raw : raw;
      }
      state_h = out[out_h_].reshape({B, n, -1});
      state_s = out[out_s_].reshape({B, n, -1});
    }
    if (steps > 1) {
      kl = kl + beta_ / static_cast<double>(steps - 1) * os_kl;
      kl_raw = kl_raw + beta_ / static_cast<double>(steps - 1) * os_raw;
    }
    ctx.set(kKl, kl);
    ctx.set(kKlRaw, kl_raw.detach());
  }

 private:
  void check_model() {
    const auto &ins = model_->input_names(), &outs = model_->output_names();
    in_action_ = port(ins, "action", flow_name_, "input");
    in_h_ = port(ins, "h", flow_name_, "input");
    in_s_ = port(ins, "s", flow_name_, "input");
    out_h_ = port(outs, "h", flow_name_, "output");
    out_mean_ = port(outs, "mean", flow_name_, "output");
    out_std_ = port(outs, "std", flow_name_, "output");
    out_s_ = port(outs, "s", flow_name_, "output");
    checked_ = true;
  }

  std::string flow_name_;
  std::shared_ptr<FlowHandle> model_;
  int64_t distance_;
  double free_nats_, beta_;
  bool stop_gradient_;
  bool checked_ = false;
  size_t in_action_ = 0, in_h_ = 0, in_s_ = 0, out_h_ = 0, out_mean_ = 0, out_std_ = 0, out_s_ = 0;
};

}  // namespace

NodeSchema LatentOvershootingSchema() {
  return SchemaBuilder("losses.latent_overshooting")
      .category("losses")
      .doc("PlaNet latent overshooting: KL of the d-step open-loop priors to the posteriors, d = 1..D")
      .input("h", {"B", "T", "deter"}, "posterior deterministic states (rollout starts)")
      .input("s", {"B", "T", "stoch"}, "posterior samples (rollout starts)")
      .input("post_mean", {"B", "T", "stoch"}, "posterior mean (targets)")
      .input("post_std", {"B", "T", "stoch"}, "posterior std (targets)")
      .input("action", {"B", "T", "A"}, "action[t] led to step t")
      .optional_input("h0", {"B", "deter"}, "the observe scan's initial h: also roll from it")
      .optional_input("s0", {"B", "stoch"}, "the observe scan's initial s (with h0)")
      .output("kl", {}, "after free nats (optimize this)")
      .output("kl_raw", {}, "before free nats, detached (log this)")
      .param("model", ParamType::Flow, nullptr,
             "prior step flow: inputs action, h, s; outputs h, mean, std, s (a sample)")
      .param("distance", ParamType::Int, 50, "D: the longest overshooting distance (1: one-step KL only)", 1)
      .param("free_nats", ParamType::Float, 3.0, "each (batch, time, distance) KL is clamped to at least this", 0.0)
      .param("beta", ParamType::Float, 1.0, "weight of the mean over distances d >= 2 (d = 1 has weight 1)", 0.0)
      .param("stop_gradient", ParamType::Bool, true, "no gradient into the posterior targets of d >= 2")
      .build();
}

std::unique_ptr<Node> MakeLatentOvershooting(const Params& p, BuildContext& ctx) {
  return std::make_unique<LatentOvershooting>(p, ctx);
}

}  // namespace lf::losses
