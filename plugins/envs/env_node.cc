#include "env_node.h"

#include <ATen/ATen.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "env.h"
#include "renderer.h"

namespace lf::envs {

namespace {

struct Instance {
  std::unique_ptr<Env> env;
  bool needs_reset = true;
  double episode_return = 0;
};

class EnvNode final : public Node {
  enum Out { kState, kPixels, kReward, kFirst, kLast, kReturn, kEnvSteps, kAgentSteps };
 public:
  EnvNode(const Params& p, uint64_t seed) : size_(p.i("size")), camera_(p.i("camera")), look_(p.s("look")) {
    const std::string obs = p.s("obs");
    render_ = obs != "state";
    EnvConfig cfg;
    cfg.task = p.s("task");
    cfg.action_repeat = static_cast<int>(p.i("action_repeat"));
    cfg.episode_steps = static_cast<int>(p.i("episode_steps"));
    const uint64_t base = p.i("seed") >= 0 ? static_cast<uint64_t>(p.i("seed")) : seed;
    // The instances share the task's compiled model (Env) and a pool of renderers, one per thread
    // that can render at once (the arena's concurrency now; more threads would wait their turn):
    // what costs ~0.1 s each (compiling, uploading textures) is paid per block, not per instance.
    for (int64_t i = 0; i < p.i("envs"); ++i) {
      cfg.seed = base + static_cast<uint64_t>(i);
      Instance inst;
      inst.env = std::make_unique<Env>(cfg);
      instances_.push_back(std::move(inst));
    }
    const Env& e = *instances_.front().env;
    if (render_) {
      const int count = static_cast<int>(std::min<int64_t>(p.i("envs"), tbb::this_task_arena::max_concurrency()));
      renderers_ = std::make_unique<RendererPool>(e.model(), size_, size_, look_ == "dmc" ? Look::Dmc : Look::Fast, count);
    }
    if (camera_ >= e.model()->ncam) {
      throw std::invalid_argument("camera " + std::to_string(camera_) + " does not exist: task '" + cfg.task +
                                  "' has " + std::to_string(e.model()->ncam) + " cameras");
    }
    if (camera_ < 0) camera_ = e.task().default_camera();
  }

  nlohmann::json spec() const override {
    const Env& e = *instances_.front().env;
    nlohmann::json obs = nlohmann::json::array();
    for (const auto& [name, size] : e.task().observation_spec()) obs.push_back({{"name", name}, {"size", size}});
    const int repeat = e.config().action_repeat, steps = e.config().episode_steps;
    return {{"task", e.config().task},
            {"observation", obs},
            {"observation_size", e.observation_size()},
            {"pixels", render_ ? nlohmann::json{size_, size_, 3} : nlohmann::json(nullptr)},
            {"camera", camera_},
            {"look", look_},
            {"action", {{"size", e.action_size()}, {"low", -1.0}, {"high", 1.0}}},
            {"control_timestep_s", e.task().control_timestep()},
            {"action_repeat", repeat},
            {"episode_control_steps", steps},
            {"agent_steps_per_episode", (steps + repeat - 1) / repeat},
            {"envs", instances_.size()}};
  }

  void run(CallContext& ctx) override {
    const int64_t n = static_cast<int64_t>(instances_.size());
    const int A = instances_.front().env->action_size();
    const int O = instances_.front().env->observation_size();
    at::Tensor action;
    if (ctx.has(0)) {
      action = ctx.in(0).to(at::kDouble).contiguous();
      if (action.dim() != 2 || action.size(0) != n || action.size(1) != A) {
        throw std::invalid_argument("action must be [" + std::to_string(n) + ", " + std::to_string(A) + "], got " +
                                    shape_text(action.sizes()));
      }
    }
    const int64_t px = render_ ? size_ : 0;
    at::Tensor state = at::empty({n, O}, at::kFloat), pixels = at::empty({n, px, px, 3}, at::kByte);
    at::Tensor reward = at::empty({n}, at::kFloat), first = at::empty({n}, at::kFloat),
               last = at::empty({n}, at::kFloat), ret = at::empty({n}, at::kFloat);
    const double* act = action.defined() ? action.data_ptr<double>() : nullptr;
    std::vector<int> control_steps(static_cast<size_t>(n), 0);
    tbb::parallel_for(int64_t{0}, n, [&](int64_t i) {
      Instance& inst = instances_[static_cast<size_t>(i)];
      double r = 0;
      const bool starts = !act || inst.needs_reset;
      if (starts) {
        inst.env->reset();
        inst.episode_return = 0;
      } else {
        const int before = inst.env->control_step();
        r = inst.env->step(act + i * A);
        control_steps[static_cast<size_t>(i)] = inst.env->control_step() - before;
        inst.episode_return += r;
      }
      inst.needs_reset = inst.env->done();
      const auto& obs = inst.env->observation();
      float* s = state.data_ptr<float>() + i * O;
      for (int k = 0; k < O; ++k) s[k] = static_cast<float>(obs[static_cast<size_t>(k)]);
      if (render_) renderers_->render(inst.env->synced_data(), camera_, pixels.data_ptr<uint8_t>() + i * px * px * 3);
      reward.data_ptr<float>()[i] = static_cast<float>(r);
      first.data_ptr<float>()[i] = starts ? 1.f : 0.f;
      last.data_ptr<float>()[i] = inst.needs_reset ? 1.f : 0.f;
      ret.data_ptr<float>()[i] = static_cast<float>(inst.episode_return);
    });
    ctx.set(kState, state);
    ctx.set(kPixels, pixels);
    ctx.set(kReward, reward);
    ctx.set(kFirst, first);
    ctx.set(kLast, last);
    ctx.set(kReturn, ret);
    int64_t env_steps = 0, agent_steps = 0;
    for (int c : control_steps) {
      env_steps += c;
      agent_steps += c > 0;
    }
    ctx.set(kEnvSteps, at::scalar_tensor(env_steps, at::kLong));
    ctx.set(kAgentSteps, at::scalar_tensor(agent_steps, at::kLong));
  }

  // Each instance's generator and its episode under way ([needs_reset, return so far, the
  // physics]), which a loaded instance continues. (Checkpoints written before episodes were saved
  // hold only generators: those instances start a new episode at their next call.)
  void save_state(TensorDict& out) const override {
    for (size_t i = 0; i < instances_.size(); ++i) {
      const Instance& inst = instances_[i];
      const std::string text = inst.env->rng_state();
      auto t = at::empty({static_cast<int64_t>(text.size())}, at::kByte);
      std::memcpy(t.data_ptr<uint8_t>(), text.data(), text.size());
      out["rng." + std::to_string(i)] = t;
      std::vector<double> episode{inst.needs_reset ? 1.0 : 0.0, inst.episode_return};
      const auto physics = inst.env->episode_state();
      episode.insert(episode.end(), physics.begin(), physics.end());
      out["episode." + std::to_string(i)] = at::tensor(episode, at::kDouble);
    }
  }
  void load_state(const TensorDict& in) override {
    for (size_t i = 0; i < instances_.size(); ++i) {
      Instance& inst = instances_[i];
      const auto t = state_at(in, "rng." + std::to_string(i)).contiguous();
      inst.env->set_rng_state(std::string(reinterpret_cast<const char*>(t.data_ptr<uint8_t>()), static_cast<size_t>(t.numel())));
      inst.needs_reset = true;
      inst.episode_return = 0;
      const auto saved = in.find("episode." + std::to_string(i));
      if (saved == in.end()) continue;
      const at::Tensor e = saved->second.to(at::kDouble).contiguous();
      if (e.dim() != 1 || e.numel() < 2) throw std::invalid_argument("envs.dmc: load_state: a damaged episode record");
      const double* p = e.data_ptr<double>();
      inst.env->set_episode_state(std::vector<double>(p + 2, p + e.numel()));
      inst.needs_reset = p[0] != 0;
      inst.episode_return = p[1];
    }
  }

 private:
  int64_t size_, camera_;
  std::string look_;
  bool render_ = false;
  std::vector<Instance> instances_;
  std::unique_ptr<RendererPool> renderers_;  // of the instances' shared model; null without pixels
};

}  // namespace

NodeSchema EnvNodeSchema() {
  return SchemaBuilder("envs.dmc")
      .category("env")
      .doc("DeepMind-Control-Suite-style MuJoCo tasks, a vector of instances stepped in parallel")
      .stateful()
      .optional_input("action", {"envs", "*"}, "actions in [-1, 1]; unconnected: start new episodes")
      .output("state", {"envs", "*"}, "the task's observation vector")
      .output("pixels", {"envs", "*", "*", "3"}, "camera image (obs = pixels | both), else [envs, 0, 0, 3]", DType::UInt8)
      .output("reward", {"envs"}, "summed over action_repeat control steps")
      .output("first", {"envs"}, "1 where this step starts an episode")
      .output("last", {"envs"}, "1 where this step ends an episode")
      .output("episode_return", {"envs"}, "return of the current episode so far")
      .output("env_steps", {}, "control steps taken by all instances in this call (action repeat included)", DType::Int64)
      .output("agent_steps", {}, "instances that applied an action in this call", DType::Int64)
      .choice("task", task_names(), "cartpole_swingup", "the task")
      .choice("obs", {"state", "pixels", "both"}, "state", "what is observed: pixels are rendered offscreen")
      .param("size", ParamType::Int, 64, "image height and width", 16, 1024)
      .param("camera", ParamType::Int, -1, "camera id; -1: the task's default (DMC's camera 0)", -1)
      .choice("look", {"dmc", "fast"}, "dmc",
              "dmc: as DMC renders (shadows, 4x multisampling, floor reflections); fast: none of them, ~20x faster")
      .param("action_repeat", ParamType::Int, 1, "control steps per agent step", 1)
      .param("episode_steps", ParamType::Int, 1000, "control steps per episode (DMC: 1000)", 1)
      .param("envs", ParamType::Int, 1, "parallel instances", 1, 4096)
      .param("seed", ParamType::Int, -1, "-1: from --seed and the block name; instance i uses seed + i", -1)
      .build();
}

std::unique_ptr<Node> MakeEnvNode(const Params& p, BuildContext& ctx) {
  return std::make_unique<EnvNode>(p, ctx.seed());
}

}  // namespace lf::envs
