#include "env_command.h"

#include <chrono>
#include <iostream>

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "diagnostics.h"
#include "json_file.h"
#include "media.h"
#include "plan.h"
#include "runtime.h"
#include "workspace.h"

namespace lf {

namespace {

// The environment as a one-node graph, so the task and options are validated like any graph.
// TASK is a task of envs.dmc, or the node type of a custom environment that follows the same
// port convention (action in; reward, last, episode_return out; pixels for --frames).
nlohmann::json env_graph(const EnvCommandOptions& o, bool custom) {
  nlohmann::json block = {{"type", o.task}};
  if (!custom) {
    block = {{"type", "envs.dmc"}, {"task", o.task}, {"obs", o.frames > 0 ? "both" : "state"}, {"size", o.size},
             {"camera", o.camera}, {"action_repeat", o.action_repeat}};
  }
  nlohmann::json outputs = {{"reward", "e.reward"}, {"last", "e.last"}, {"ret", "e.episode_return"}};
  if (o.frames > 0) outputs["pixels"] = "e.pixels";
  return {{"name", "env"},
          {"blocks", {{"env", block}}},
          {"flows",
           {{"step",
             {{"inputs", {{"action", {{"shape", {"N", "*"}}, {"optional", true}}}}},
              {"nodes", {{"e", {{"block", "env"}, {"inputs", {{"action", "$action"}}}}}}},
              {"outputs", outputs}}}}}};
}

}  // namespace

int run_env_command(const EnvCommandOptions& o) {
  Workspace ws(o.plugin_path);
  const bool custom = ws.registry().find(o.task) != nullptr;
  Diagnostics diags;
  auto graph = ws.load_graph_json(env_graph(o, custom), "engine env", diags);
  if (!diags.empty()) {
    std::cerr << diags.format("engine env");
    throw InputError("engine env " + o.task + ": bad task or option");
  }
  Runtime rt(*graph, {o.seed, 1, false});
  const nlohmann::json spec = rt.block("env").spec();
  fmt::print("{}\n", spec.dump(2));
  if (!spec.is_object() || !spec.contains("action") || !spec.contains("agent_steps_per_episode")) {
    throw InputError(o.task + " does not describe itself as an environment: its spec() lacks action.size and "
                     "agent_steps_per_episode");
  }
  const int64_t A = spec.at("action").at("size").get<int64_t>();
  const int64_t steps = spec.at("agent_steps_per_episode").get<int64_t>();

  FlowPlan& plan = rt.plan("step");
  std::vector<at::Tensor> out(plan.num_outputs());  // by name: last, [pixels,] ret, reward
  const size_t kLast = 0, kPixels = 1, kRet = o.frames > 0 ? 2 : 1;
  const at::Tensor* reset_in[] = {&unconnected()};
  plan.run(reset_in, out.data());

  std::vector<at::Tensor> strip;
  const int64_t every = o.frames > 0 ? std::max<int64_t>(1, steps / o.frames) : 0;
  at::Generator gen = at::detail::createCPUGenerator(o.seed);
  const auto t0 = std::chrono::steady_clock::now();
  int64_t n = 0;
  double episode_return = 0;
  for (; n < steps; ++n) {
    const at::Tensor action = at::rand({1, A}, gen) * 2 - 1;
    const at::Tensor* in[] = {&action};
    plan.run(in, out.data());
    episode_return = out[kRet].item<double>();
    if (every && n % every == 0 && static_cast<int>(strip.size()) < o.frames) strip.push_back(out[kPixels][0].clone());
    if (out[kLast].item<double>() > 0) break;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("random policy: return {:.2f} over {} agent steps ({:.0f} agent steps/s{})\n", episode_return, n + 1,
             (n + 1) / secs, o.frames > 0 ? ", rendering" : "");

  if (o.frames > 0) {
    write_png(o.out, at::cat(strip, 1));  // frames side by side
    fmt::print("wrote {} frames to {}\n", strip.size(), o.out);
  }
  return 0;
}

}  // namespace lf
