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
                  const std::atomic<bool>* stop) {
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
  std::vector<const at::Tensor*> in(step_.num_inputs(), &unconnected());
  for (size_t k = 0; k < carry_.size(); ++k) in[carry_[k].input] = &carried_[k];
  std::vector<at::Tensor> out(step_.num_outputs());
  at::Tensor ended_once;
  std::vector<at::Tensor> frames;
  bool recording = video_output_ >= 0;
  video_ = at::Tensor();
  int64_t counted = 0, idle_calls = 0;
  while (steps_ == 0 || counted < steps_) {
    if (stop && stop->load()) {
      carried_.clear();  // the environments restart their episodes after a resume
      init_values_.clear();
      return false;
    }
    counter_inputs_.bind(in, counters);
    step_.run(in.data(), out.data());
    for (const auto& [counter, o] : count_) counters[counter] += out[o].sum().item<int64_t>();
    if (step_output_ < 0) {
      ++counted;
    } else {
      const int64_t n = out[static_cast<size_t>(step_output_)].sum().item<int64_t>();
      counted += n;
      // An environment's reset call counts 0; two in a row mean the output never counts.
      if (n == 0 && ++idle_calls == 2)
        throw std::runtime_error("rollout of '" + step_.flow().name + "': step output '" +
                                 step_.flow().outputs[static_cast<size_t>(step_output_)].port +
                                 "' (step_output) counted nothing in two calls in a row");
      if (n != 0) idle_calls = 0;
    }
    for (size_t k = 0; k < carry_.size(); ++k) carried_[k] = out[carry_[k].output];
    if (recording) frames.push_back(out[static_cast<size_t>(video_output_)][0].detach().clone());
    if (until_ < 0) continue;
    const auto ended = out[static_cast<size_t>(until_)].to(at::kFloat).flatten().gt(0.5);
    if (recording && ended[0].item<bool>()) recording = false;
    if (ended.any().item<bool>()) {
      counters[episodes_counter_] += ended.sum().item<int64_t>();
      for (const auto& [name, o] : metrics_)
        metrics[name] = out[o].to(at::kDouble).flatten().masked_select(ended).mean().item<double>();
      if (!carry_.empty()) reset_where(ended);
    }
    if (steps_ > 0) continue;
    ended_once = ended_once.defined() ? ended_once.logical_or(ended) : ended;
    if (ended_once.all().item<bool>()) break;
  }
  if (!frames.empty()) video_ = at::stack(frames);
  return true;
}

}  // namespace lf
