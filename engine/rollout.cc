#include "rollout.h"

#include <stdexcept>

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include "plan.h"
#include "runtime.h"

namespace lf {

namespace {

// Validation has checked the names; this guards direct use from code.
size_t must(int i, const std::string& what) {
  if (i < 0) throw std::invalid_argument("rollout: " + what);
  return static_cast<size_t>(i);
}

// The environments of the vector the step flow acts in: the `envs` of the environment blocks it
// calls (0 when it calls none or they disagree; the carried state is then used as the init gives it).
int64_t environments(Runtime& rt, const Flow& f) {
  int64_t envs = 0;
  for (const auto& n : f.nodes) {
    if (n.kind != FlowNode::Kind::Block) continue;
    const auto spec = rt.block(n.target).spec();
    if (!spec.is_object() || !spec.contains("envs") || !spec["envs"].is_number_integer()) continue;
    const auto e = spec["envs"].get<int64_t>();
    if (envs != 0 && envs != e) return 0;
    envs = e;
  }
  return envs;
}

}  // namespace

Rollout::Rollout(Runtime& rt, const nlohmann::json& s)
    : step_(rt.plan(s.at("rollout").get<std::string>())), counter_inputs_(step_.flow(), s) {
  const Flow& f = step_.flow();
  grad_ = s.value("grad", false);
  steps_ = s.value("steps", int64_t{0});
  if (s.contains("step_output"))
    step_output_ = static_cast<int>(must(f.output_index(s["step_output"].get<std::string>()), "no step output"));
  until_ = f.output_index(s.value("until", std::string("last")));
  if (steps_ == 0) must(until_, "no end-flag output");
  if (s.contains("video")) video_output_ = static_cast<int>(must(f.output_index(s["video"].get<std::string>()), "no video output"));
  episodes_counter_ = s.value("counter", std::string(kEpisodesCounter));
  if (s.contains("init")) init_ = &rt.plan(s["init"].get<std::string>());
  envs_ = environments(rt, f);
  if (s.contains("carry")) {
    for (const auto& [in, out] : s["carry"].items()) {
      Carry c{must(f.input_index(in), "no input " + in), must(f.output_index(out.get<std::string>()), "no output " + out.get<std::string>()),
              init_ ? init_->flow().output_index(in) : -1};
      if (c.init_output < 0) throw std::invalid_argument("rollout: the init flow has no output '" + in + "'");
      carry_.push_back(c);
    }
  }
  for (const char* key : {"count", "metrics"}) {
    if (!s.contains(key)) continue;
    auto& list = std::string(key) == "count" ? count_ : metrics_;
    for (const auto& [name, out] : s[key].items())
      list.emplace_back(name, must(f.output_index(out.get<std::string>()), "no output " + out.get<std::string>()));
  }
}

void Rollout::reset_where(const at::Tensor& ended) {
  for (size_t k = 0; k < carry_.size(); ++k) {
    const at::Tensor& init = init_values_[k];
    auto mask = ended.to(at::kBool);
    std::vector<int64_t> shape(static_cast<size_t>(init.dim()), 1);
    shape[0] = mask.size(0);
    carried_[k] = at::where(mask.view(shape), init, carried_[k]);
  }
}

bool Rollout::run(std::map<std::string, int64_t>& counters, std::map<std::string, double>& metrics,
                  const std::function<bool()>& stop) {
  c10::AutoGradMode mode(grad_);
  if (carried_.empty() && !carry_.empty()) {
    std::vector<const at::Tensor*> none(init_->num_inputs(), &unconnected());
    std::vector<at::Tensor> out(init_->num_outputs());
    init_->run(none.data(), out.data());
    for (const auto& c : carry_) {
      const at::Tensor& v = out[static_cast<size_t>(c.init_output)];
      init_values_.push_back(v);
      // One row of the init flow starts every environment of the vector.
      carried_.push_back(envs_ > 1 && v.dim() > 0 && v.size(0) == 1 ? v.repeat_interleave(envs_, 0) : v);
    }
  }
  if (!paused_) {
    counted_ = idle_calls_ = 0;
    ended_once_ = at::Tensor();
    frames_.clear();
    recording_ = video_output_ >= 0;
  }
  paused_ = false;
  video_ = at::Tensor();
  std::vector<const at::Tensor*> in(step_.num_inputs(), &unconnected());
  for (size_t k = 0; k < carry_.size(); ++k) in[carry_[k].input] = &carried_[k];
  std::vector<at::Tensor> out(step_.num_outputs());
  while (steps_ == 0 || counted_ < steps_) {
    if (stop && stop()) {
      paused_ = true;
      return false;
    }
    counter_inputs_.bind(in, counters);
    step_.run(in.data(), out.data());
    for (const auto& [counter, o] : count_) {
      // Validation refuses outputs declared as floats; this catches those of undeclared dtype.
      if (out[o].is_floating_point())
        throw std::runtime_error("rollout of '" + step_.flow().name + "': counter '" + counter + "' counts output '" +
                                 step_.flow().outputs[o].port + "', which is " + std::string(at::toString(out[o].scalar_type())) +
                                 ": counts must be integers");
      counters[counter] += out[o].sum().item<int64_t>();
    }
    if (step_output_ < 0) {
      ++counted_;
    } else {
      const int64_t n = out[static_cast<size_t>(step_output_)].sum().item<int64_t>();
      counted_ += n;
      // An environment's reset call counts 0; two in a row mean the output never counts.
      if (n == 0 && ++idle_calls_ == 2)
        throw std::runtime_error("rollout of '" + step_.flow().name + "': step output '" +
                                 step_.flow().outputs[static_cast<size_t>(step_output_)].port +
                                 "' (step_output) counted nothing in two calls in a row");
      if (n != 0) idle_calls_ = 0;
    }
    for (size_t k = 0; k < carry_.size(); ++k) carried_[k] = out[carry_[k].output];
    if (recording_) frames_.push_back(out[static_cast<size_t>(video_output_)][0].detach().clone());
    if (until_ < 0) continue;
    const auto ended = out[static_cast<size_t>(until_)].to(at::kFloat).flatten().gt(0.5);
    if (recording_ && ended[0].item<bool>()) recording_ = false;
    if (ended.any().item<bool>()) {
      counters[episodes_counter_] += ended.sum().item<int64_t>();
      for (const auto& [name, o] : metrics_)
        metrics[name] = out[o].to(at::kDouble).flatten().masked_select(ended).mean().item<double>();
      if (!carry_.empty()) reset_where(ended);
    }
    if (steps_ > 0) continue;
    ended_once_ = ended_once_.defined() ? ended_once_.logical_or(ended) : ended;
    if (ended_once_.all().item<bool>()) break;
  }
  if (!frames_.empty()) video_ = at::stack(frames_);
  frames_.clear();
  return true;
}

void Rollout::save_state(TensorDict& out) const {
  for (size_t k = 0; k < carried_.size(); ++k) {
    out["carried." + std::to_string(k)] = carried_[k];
    out["init." + std::to_string(k)] = init_values_[k];
  }
  if (!paused_) return;
  out["progress"] = at::tensor({counted_, idle_calls_, int64_t{recording_}}, at::kLong);
  if (ended_once_.defined()) out["ended_once"] = ended_once_;
  if (!frames_.empty()) out["frames"] = at::stack(frames_);
}

void Rollout::load_state(const TensorDict& in) {
  const std::string what = "rollout of '" + step_.flow().name + "'";
  const size_t n = in.count("carried.0") ? carry_.size() : 0;
  carried_.clear();
  init_values_.clear();
  for (size_t k = 0; k < n; ++k) {
    carried_.push_back(state_at(in, "carried." + std::to_string(k)));
    init_values_.push_back(state_at(in, "init." + std::to_string(k)));
  }
  paused_ = in.count("progress") > 0;
  frames_.clear();
  ended_once_ = at::Tensor();
  if (!paused_) return;
  const at::Tensor p = in.at("progress");
  if (p.scalar_type() != at::kLong || p.numel() != 3) throw std::invalid_argument(what + ": a damaged progress record");
  counted_ = p[0].item<int64_t>();
  idle_calls_ = p[1].item<int64_t>();
  recording_ = p[2].item<int64_t>() != 0;
  if (in.count("ended_once")) ended_once_ = in.at("ended_once").to(at::kBool);
  if (in.count("frames"))
    for (const auto& f : in.at("frames").unbind(0)) frames_.push_back(f);
}

}  // namespace lf
