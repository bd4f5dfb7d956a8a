// bench/env_speed: how fast the control-suite environments step and render, per task.
//
//   state:   (a) Env::step at action_repeat 1 (action clipping/scaling, the substeps as Env does them,
//                reward and observe: what the envs.dmc node pays per instance, less the float
//                tensor conversion) vs.
//            (b) a raw loop of round(control_timestep / timestep) mj_step calls per control step on
//                a model compiled from the same MJCF (compile_mjcf), with the same ctrl values.
//            (c) the physics exactly as Env does it (mj_step2+mj_step1 per substep for Euler; mj_step,
//                then one mj_step1 per control step for other integrators when the task reads
//                derived state) without reward/observe, to split (a)-(b) into "extra mj_step1" (c-b) and
//                "reward + observe" (a-c). Reward and observe are also timed alone (per call).
//            All three start from the same state and get the same actions; before timing, (a) and
//            (b) are checked to produce the same trajectory (exit 1 otherwise). Target a/b >= 0.9.
//   pixels:  Renderer at SIZE x SIZE (64) on the task's default camera, 1 thread: render() alone
//            (the same state every frame) in the fast look and in DMC's (shadows, multisampling,
//            reflections: what envs.dmc renders by default), and Env::step + render() (fast look). Frames per second of wall time
//            and per CPU-second of the process (Mesa's llvmpipe may rasterize on threads of its own;
//            set LP_NUM_THREADS=0 to keep it on the calling thread). Target >= 1500 frames/s per core.
//   vector:  N (8) instances stepped by tbb::parallel_for (as the node does: reset where an episode
//            ended, else step), under tbb::global_control max_allowed_parallelism 1 vs. 2, for state
//            and for step + render (one Renderer per instance). Instance steps/s and the speed-up.
//   returns: the mean return of a uniform random policy over E episodes of 1000 control steps.
//
// Method: one warm-up sample per case; sample sizes are calibrated to ~--sample-ms each; the
// variants compared are interleaved (alternating which goes first), --reps samples each; medians
// are printed, and the ratio of the medians. The numbers are measurements: exit 0 whatever they are.
//
// Usage: env_speed [--tasks a,b,...] [--reps N] [--sample-ms MS] [--envs N] [--size PX]
//                  [--episodes E] [--skip state,pixels,vector,returns] [--help]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <mujoco/mujoco.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "env.h"
#include "renderer.h"
#include "task.h"

namespace {

using Clock = std::chrono::steady_clock;
using lf::envs::Env;
using lf::envs::EnvConfig;

struct Options {
  std::vector<std::string> tasks;
  int reps = 7;
  double sample_ms = 100;
  int envs = 8;
  int size = 64;
  int episodes = 3;
  std::set<std::string> skip;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// A timed case: run(n) does n units of work and returns the seconds it timed (it may leave set-up
// out of the timing). Samples are calibrated so that one takes about `sample_s`.
struct Case {
  std::string name;
  std::function<double(int64_t)> run;
  int64_t n = 1;
  std::vector<double> rate;  // units per second, one per sample
};

// Calibrates each case's sample size on its own, warms all up, then takes `reps` samples of each,
// interleaved and rotating which goes first.
void measure(std::vector<Case>& cases, int reps, double sample_s) {
  for (auto& c : cases) {
    int64_t n = 16;
    for (;;) {
      const double t = c.run(n);
      if (t >= 0.2 * sample_s || n > (int64_t{1} << 30)) {
        n = std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(n) * sample_s / std::max(t, 1e-9)));
        break;
      }
      n *= 4;
    }
    c.n = n;
  }
  for (auto& c : cases) c.run(c.n);  // warm-up at full size
  for (int r = 0; r < reps; ++r) {
    for (size_t k = 0; k < cases.size(); ++k) {
      Case& c = cases[(k + static_cast<size_t>(r)) % cases.size()];
      c.rate.push_back(static_cast<double>(c.n) / c.run(c.n));
    }
  }
}

// The physics state the benchmark restores before each timed stretch, so every variant follows
// the same trajectory.
struct Snapshot {
  std::vector<double> qpos, qvel, act, mocap_pos, mocap_quat, warmstart;
  double time = 0;
  void take(const mjModel* m, const mjData* d) {
    qpos.assign(d->qpos, d->qpos + m->nq);
    qvel.assign(d->qvel, d->qvel + m->nv);
    act.assign(d->act, d->act + m->na);
    mocap_pos.assign(d->mocap_pos, d->mocap_pos + 3 * m->nmocap);
    mocap_quat.assign(d->mocap_quat, d->mocap_quat + 4 * m->nmocap);
    warmstart.assign(d->qacc_warmstart, d->qacc_warmstart + m->nv);
    time = d->time;
  }
  // Restores the state and recomputes the derived quantities (as Env::reset leaves them).
  void restore(const mjModel* m, mjData* d) const {
    mj_resetData(m, d);
    std::copy(qpos.begin(), qpos.end(), d->qpos);
    std::copy(qvel.begin(), qvel.end(), d->qvel);
    std::copy(act.begin(), act.end(), d->act);
    std::copy(mocap_pos.begin(), mocap_pos.end(), d->mocap_pos);
    std::copy(mocap_quat.begin(), mocap_quat.end(), d->mocap_quat);
    std::copy(warmstart.begin(), warmstart.end(), d->qacc_warmstart);
    d->time = time;
    mj_forward(m, d);
  }
};

constexpr int kSeqLen = 1000;  // actions in the fixed random sequence; also the stretch between restores

std::vector<double> random_actions(int count, int size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> a(static_cast<size_t>(count) * static_cast<size_t>(size));
  for (auto& x : a) x = u(rng);
  return a;
}

// Env's mapping of an action in [-1, 1] to ctrl.
std::vector<double> to_ctrl(const mjModel* m, const std::vector<double>& actions) {
  std::vector<double> ctrl(actions.size());
  const size_t nu = static_cast<size_t>(m->nu);
  for (size_t k = 0; k < actions.size(); ++k) {
    const size_t i = k % nu;
    const double a = std::clamp(actions[k], -1.0, 1.0);
    const double lo = m->actuator_ctrlrange[2 * i], hi = m->actuator_ctrlrange[2 * i + 1];
    ctrl[k] = m->actuator_ctrllimited[i] ? lo + (a + 1.0) * 0.5 * (hi - lo) : a;
  }
  return ctrl;
}

struct StateResult {
  double env = 0, raw = 0, physics = 0;  // control steps/s (medians)
  double ratio = 0;                      // env / raw
  double observe_us = 0, reward_us = 0;
  int substeps = 1;
  bool rk4 = false;
};

struct PixelResult {
  double render = 0, step_render = 0;            // frames/s, wall
  double render_dmc = 0;                         // frames/s, wall, in DMC's look
  double render_cpu = 0, step_render_cpu = 0;    // frames per CPU-second of the process
};

struct VectorResult {
  double state1 = 0, state2 = 0, pix1 = 0, pix2 = 0;  // instance steps/s
  double util[4] = {0, 0, 0, 0};                      // CPU-s per wall-s (the process): s1, s2, p1, p2
};

struct TaskResult {
  std::string task;
  StateResult state;
  PixelResult pixels;
  VectorResult vec;
  double ret_mean = NAN, ret_std = NAN;
  bool have_state = false, have_pixels = false, have_vec = false, have_ret = false;
};

EnvConfig config_for(const std::string& task, int episode_steps, uint64_t seed) {
  EnvConfig cfg;
  cfg.task = task;
  cfg.action_repeat = 1;
  cfg.episode_steps = episode_steps;
  cfg.seed = seed;
  return cfg;
}

// Returns false when the env and the raw loop disagree.
bool bench_state(const std::string& name, const Options& opt, StateResult& out) {
  // No time limit inside a timed stretch: Env::step does nothing once done().
  Env env(config_for(name, 1 << 30, 1));
  auto task = lf::envs::make_task(name);
  mjModel* m = lf::envs::compile_mjcf(task->mjcf(), name);
  mjData* d = mj_makeData(m);
  const mjModel* em = env.model();
  mjData* ed = env.data();
  const int nu = env.action_size();
  const int substeps = std::max(1, static_cast<int>(std::lround(task->control_timestep() / m->opt.timestep)));
  const bool rk4 = m->opt.integrator != mjINT_EULER;
  out.substeps = substeps;
  out.rk4 = rk4;

  Snapshot s0;
  s0.take(em, ed);
  const auto actions = random_actions(kSeqLen, nu, 12345);
  const auto ctrl = to_ctrl(m, actions);

  // (b) raw mj_step loop.
  auto raw_stretch = [&](int steps) {
    for (int t = 0; t < steps; ++t) {
      std::copy_n(ctrl.data() + static_cast<size_t>(t) * nu, nu, d->ctrl);
      for (int k = 0; k < substeps; ++k) mj_step(m, d);
    }
  };
  // (c) the physics as Env does it, no reward/observe.
  auto physics_stretch = [&](int steps) {
    for (int t = 0; t < steps; ++t) {
      std::copy_n(ctrl.data() + static_cast<size_t>(t) * nu, nu, d->ctrl);
      for (int k = 0; k < substeps; ++k) {
        if (rk4) {
          mj_step(m, d);
        } else {
          mj_step2(m, d);
          mj_step1(m, d);
        }
      }
      if (rk4 && env.task().reads_derived_state()) mj_step1(m, d);
    }
  };
  double sink = 0;
  auto env_stretch = [&](int steps) {
    for (int t = 0; t < steps; ++t) sink += env.step(actions.data() + static_cast<size_t>(t) * nu);
  };

  // Same trajectory check: 1000 control steps from the same state.
  s0.restore(em, ed);
  s0.restore(m, d);
  env_stretch(kSeqLen);
  raw_stretch(kSeqLen);
  double diff = 0, scale = 1;
  for (int i = 0; i < m->nq; ++i) {
    diff = std::max(diff, std::abs(ed->qpos[i] - d->qpos[i]));
    scale = std::max(scale, std::abs(d->qpos[i]));
  }
  for (int i = 0; i < m->nv; ++i) {
    diff = std::max(diff, std::abs(ed->qvel[i] - d->qvel[i]));
    scale = std::max(scale, std::abs(d->qvel[i]));
  }
  if (!(diff <= 1e-9 * scale)) {
    std::fprintf(stderr, "%s: Env and the raw mj_step loop disagree after %d steps (max |diff| %.3g)\n",
                 name.c_str(), kSeqLen, diff);
    mj_deleteData(d);
    mj_deleteModel(m);
    return false;
  }

  // Timed stretches of up to kSeqLen steps, each from the snapshot (restores untimed).
  auto chunked = [&](mjData* data, const mjModel* model, const std::function<void(int)>& f) {
    return [&, data, model, f](int64_t n) {
      double secs = 0;
      for (int64_t done = 0; done < n;) {
        const int steps = static_cast<int>(std::min<int64_t>(kSeqLen, n - done));
        s0.restore(model, data);
        const auto t0 = Clock::now();
        f(steps);
        secs += std::chrono::duration<double>(Clock::now() - t0).count();
        done += steps;
      }
      return secs;
    };
  };
  std::vector<Case> cases;
  cases.push_back({"env", chunked(ed, em, env_stretch)});
  cases.push_back({"raw", chunked(d, m, raw_stretch)});
  cases.push_back({"physics", chunked(d, m, physics_stretch)});
  measure(cases, opt.reps, opt.sample_ms * 1e-3);
  out.env = median(cases[0].rate);
  out.raw = median(cases[1].rate);
  out.physics = median(cases[2].rate);
  out.ratio = out.env / out.raw;

  // observe() and reward() alone, on the state the env is in.
  std::vector<double> obs(static_cast<size_t>(env.observation_size()));
  std::vector<Case> parts;
  parts.push_back({"observe", [&](int64_t n) {
                     const auto t0 = Clock::now();
                     for (int64_t i = 0; i < n; ++i) env.task().observe(em, ed, obs.data());
                     sink += obs[0];
                     return std::chrono::duration<double>(Clock::now() - t0).count();
                   }});
  parts.push_back({"reward", [&](int64_t n) {
                     const auto t0 = Clock::now();
                     for (int64_t i = 0; i < n; ++i) sink += env.task().reward(em, ed);
                     return std::chrono::duration<double>(Clock::now() - t0).count();
                   }});
  measure(parts, opt.reps, 0.3 * opt.sample_ms * 1e-3);
  out.observe_us = 1e6 / median(parts[0].rate);
  out.reward_us = 1e6 / median(parts[1].rate);
  if (sink == 12345.678) std::printf(" ");  // keep the work observable
  mj_deleteData(d);
  mj_deleteModel(m);
  return true;
}

// Steps one instance as the node does: reset where the episode ended, else step.
inline void node_step(Env& env, const std::vector<double>& actions, int64_t t) {
  if (env.done()) {
    env.reset();
  } else {
    const size_t idx = static_cast<size_t>(t % kSeqLen) * static_cast<size_t>(env.action_size());
    env.step(actions.data() + idx);
  }
}

void bench_pixels(const std::string& name, const Options& opt, PixelResult& out) {
  Env env(config_for(name, 1000, 2));
  lf::envs::Renderer renderer(const_cast<mjModel*>(env.model()), opt.size, opt.size);
  lf::envs::Renderer dmc_renderer(const_cast<mjModel*>(env.model()), opt.size, opt.size, lf::envs::Look::Dmc);
  const int camera = env.task().default_camera();
  const auto actions = random_actions(kSeqLen, env.action_size(), 777);
  std::vector<uint8_t> rgb(static_cast<size_t>(opt.size) * opt.size * 3);
  int64_t t = 0;
  std::vector<double> cpu_render, cpu_step_render;
  std::vector<Case> cases;
  cases.push_back({"render", [&](int64_t n) {
                     const double c0 = cpu_seconds();
                     const auto t0 = Clock::now();
                     for (int64_t i = 0; i < n; ++i) renderer.render(env.synced_data(), camera, rgb.data());
                     const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
                     cpu_render.push_back(static_cast<double>(n) / (cpu_seconds() - c0));
                     return secs;
                   }});
  cases.push_back({"step+render", [&](int64_t n) {
                     const double c0 = cpu_seconds();
                     const auto t0 = Clock::now();
                     for (int64_t i = 0; i < n; ++i) {
                       node_step(env, actions, t++);
                       renderer.render(env.synced_data(), camera, rgb.data());
                     }
                     const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
                     cpu_step_render.push_back(static_cast<double>(n) / (cpu_seconds() - c0));
                     return secs;
                   }});
  cases.push_back({"render (dmc look)", [&](int64_t n) {
                     const auto t0 = Clock::now();
                     for (int64_t i = 0; i < n; ++i) dmc_renderer.render(env.synced_data(), camera, rgb.data());
                     return std::chrono::duration<double>(Clock::now() - t0).count();
                   }});
  measure(cases, opt.reps, opt.sample_ms * 1e-3);
  out.render = median(cases[0].rate);
  out.step_render = median(cases[1].rate);
  out.render_dmc = median(cases[2].rate);
  // The CPU rates of the timed samples only (the last `reps`; calibration and warm-up came first).
  auto tail = [&](const std::vector<double>& v) {
    return median(std::vector<double>(v.end() - std::min<ptrdiff_t>(opt.reps, static_cast<ptrdiff_t>(v.size())), v.end()));
  };
  out.render_cpu = tail(cpu_render);
  out.step_render_cpu = tail(cpu_step_render);
}

void bench_vector(const std::string& name, const Options& opt, VectorResult& out) {
  const int n_env = opt.envs;
  std::vector<std::unique_ptr<Env>> envs;
  std::vector<std::unique_ptr<lf::envs::Renderer>> renderers;
  for (int i = 0; i < n_env; ++i) {
    envs.push_back(std::make_unique<Env>(config_for(name, 1000, 100 + static_cast<uint64_t>(i))));
    renderers.push_back(
        std::make_unique<lf::envs::Renderer>(const_cast<mjModel*>(envs.back()->model()), opt.size, opt.size));
  }
  const int camera = envs.front()->task().default_camera();
  const auto actions = random_actions(kSeqLen, envs.front()->action_size(), 4242);
  std::vector<std::vector<uint8_t>> rgb(static_cast<size_t>(n_env),
                                        std::vector<uint8_t>(static_cast<size_t>(opt.size) * opt.size * 3));
  int64_t t = 0;
  std::vector<double> util[4];  // CPU-s per wall-s: state/1, state/2, pixels/1, pixels/2
  // n vector steps = n * n_env instance steps; the rate is in instance steps/s.
  auto vector_case = [&](int threads, bool pixels) {
    return [&, threads, pixels](int64_t n) {
      tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
      auto one = [&](int64_t i) {
        Env& env = *envs[static_cast<size_t>(i)];
        node_step(env, actions, t + i * 97);
        if (pixels) renderers[static_cast<size_t>(i)]->render(env.synced_data(), camera, rgb[static_cast<size_t>(i)].data());
      };
      tbb::parallel_for(int64_t{0}, int64_t{n_env}, one);  // untimed: wakes the workers
      ++t;
      const double c0 = cpu_seconds();
      const auto t0 = Clock::now();
      const int64_t steps = std::max<int64_t>(1, n / n_env);
      for (int64_t k = 0; k < steps; ++k, ++t) tbb::parallel_for(int64_t{0}, int64_t{n_env}, one);
      const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
      util[(threads > 1 ? 1 : 0) + (pixels ? 2 : 0)].push_back((cpu_seconds() - c0) / secs);
      return secs * static_cast<double>(n) / static_cast<double>(steps * n_env);  // rate = n / secs
    };
  };
  {
    std::vector<Case> cases;
    cases.push_back({"state/1", vector_case(1, false)});
    cases.push_back({"state/2", vector_case(2, false)});
    measure(cases, opt.reps, opt.sample_ms * 1e-3);
    out.state1 = median(cases[0].rate);
    out.state2 = median(cases[1].rate);
  }
  {
    std::vector<Case> cases;
    cases.push_back({"pixels/1", vector_case(1, true)});
    cases.push_back({"pixels/2", vector_case(2, true)});
    measure(cases, opt.reps, opt.sample_ms * 1e-3);
    out.pix1 = median(cases[0].rate);
    out.pix2 = median(cases[1].rate);
  }
  for (int i = 0; i < 4; ++i) {
    out.util[i] = median(std::vector<double>(util[i].end() - std::min<ptrdiff_t>(opt.reps, static_cast<ptrdiff_t>(util[i].size())), util[i].end()));
  }
}

void bench_returns(const std::string& name, const Options& opt, TaskResult& out) {
  std::vector<double> rets;
  for (int e = 0; e < opt.episodes; ++e) {
    Env env(config_for(name, 1000, 1000 + static_cast<uint64_t>(e)));
    std::mt19937_64 rng(2000 + static_cast<uint64_t>(e));
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<double> a(static_cast<size_t>(env.action_size()));
    double ret = 0;
    while (!env.done()) {
      for (auto& x : a) x = u(rng);
      ret += env.step(a.data());
    }
    rets.push_back(ret);
  }
  double mean = 0, var = 0;
  for (double r : rets) mean += r;
  mean /= static_cast<double>(rets.size());
  for (double r : rets) var += (r - mean) * (r - mean);
  out.ret_mean = mean;
  out.ret_std = rets.size() > 1 ? std::sqrt(var / static_cast<double>(rets.size() - 1)) : 0.0;
  out.have_ret = true;
}

std::string k(double rate) {
  char buf[32];
  if (rate >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.0fk", rate / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", rate);
  }
  return buf;
}

void usage() {
  std::printf(
      "usage: env_speed [--tasks a,b,...] [--reps N] [--sample-ms MS] [--envs N] [--size PX]\n"
      "                 [--episodes E] [--skip state,pixels,vector,returns]\n"
      "  --tasks      tasks to measure (default: all)\n"
      "  --reps       timed samples per case (default 7; medians are reported)\n"
      "  --sample-ms  length of one sample (default 100)\n"
      "  --envs       instances in the vectorized case (default 8)\n"
      "  --size       image height and width (default 64)\n"
      "  --episodes   random-policy episodes per task for the returns (default 3)\n"
      "  --skip       parts to leave out\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else if (a == "--tasks") {
      opt.tasks = split(next());
    } else if (a == "--reps") {
      opt.reps = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--sample-ms") {
      opt.sample_ms = std::max(1.0, std::atof(next().c_str()));
    } else if (a == "--envs") {
      opt.envs = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--size") {
      opt.size = std::max(16, std::atoi(next().c_str()));
    } else if (a == "--episodes") {
      opt.episodes = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--skip") {
      for (const auto& s : split(next())) opt.skip.insert(s);
    } else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      usage();
      return 2;
    }
  }
  if (opt.tasks.empty()) opt.tasks = lf::envs::task_names();
  for (const auto& t : opt.tasks) {
    if (!lf::envs::make_task(t)) {
      std::fprintf(stderr, "unknown task '%s'\n", t.c_str());
      return 2;
    }
  }
  const char* lp = std::getenv("LP_NUM_THREADS");
  std::printf("env_speed: %zu task(s), %d reps x ~%.0f ms, vector N=%d, %dx%d pixels, LP_NUM_THREADS=%s\n",
              opt.tasks.size(), opt.reps, opt.sample_ms, opt.envs, opt.size, opt.size, lp ? lp : "(unset)");

  const auto start = Clock::now();
  std::vector<TaskResult> results;
  bool ok = true;
  for (const auto& name : opt.tasks) {
    TaskResult r;
    r.task = name;
    if (!opt.skip.count("state")) {
      r.have_state = bench_state(name, opt, r.state);
      ok = ok && r.have_state;
      if (r.have_state) {
        const auto& s = r.state;
        std::printf(
            "%-18s state: env %8.0f  raw mj_step %8.0f  ratio %.3f | env physics %8.0f (%s x%d)  observe %.2f us  "
            "reward %.2f us\n",
            name.c_str(), s.env, s.raw, s.ratio, s.physics, s.rk4 ? "RK4" : "Euler", s.substeps, s.observe_us,
            s.reward_us);
      }
    }
    if (!opt.skip.count("pixels")) {
      bench_pixels(name, opt, r.pixels);
      r.have_pixels = true;
      std::printf("%-18s pixels: render %6.0f /s (%6.0f per CPU-s)  step+render %6.0f /s (%6.0f per CPU-s)  "
                  "render in DMC's look %5.0f /s (%.1fx slower)\n",
                  name.c_str(), r.pixels.render, r.pixels.render_cpu, r.pixels.step_render, r.pixels.step_render_cpu,
                  r.pixels.render_dmc, r.pixels.render / r.pixels.render_dmc);
    }
    if (!opt.skip.count("vector")) {
      bench_vector(name, opt, r.vec);
      r.have_vec = true;
      std::printf(
          "%-18s vector N=%d: state %8.0f -> %8.0f (x%.2f, CPU %.2f -> %.2f)  step+render %6.0f -> %6.0f (x%.2f, "
          "CPU %.2f -> %.2f)\n",
          name.c_str(), opt.envs, r.vec.state1, r.vec.state2, r.vec.state2 / r.vec.state1, r.vec.util[0],
          r.vec.util[1], r.vec.pix1, r.vec.pix2, r.vec.pix2 / r.vec.pix1, r.vec.util[2], r.vec.util[3]);
    }
    if (!opt.skip.count("returns")) {
      bench_returns(name, opt, r);
      std::printf("%-18s random-policy return: %.1f +- %.1f (%d episodes)\n", name.c_str(), r.ret_mean, r.ret_std,
                  opt.episodes);
    }
    std::fflush(stdout);
    results.push_back(r);
  }

  std::printf("\nMarkdown (control steps/s; frames/s at %dx%d; vector: N=%d instances, 1 -> 2 threads):\n\n",
              opt.size, opt.size, opt.envs);
  std::printf(
      "| task | random return | env steps/s | raw mj_step steps/s | env/raw | render fps | step+render fps | "
      "vec state 1->2 thr | vec pixels 1->2 thr |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  auto cell = [](bool have, const std::string& s) { return have ? s : std::string("-"); };
  for (const auto& r : results) {
    char ret[64], ratio[32], vs[64], vp[64];
    std::snprintf(ret, sizeof ret, "%.1f", r.ret_mean);
    std::snprintf(ratio, sizeof ratio, "%.2f", r.state.ratio);
    std::snprintf(vs, sizeof vs, "%s -> %s (x%.2f)", k(r.vec.state1).c_str(), k(r.vec.state2).c_str(),
                  r.vec.state2 / r.vec.state1);
    std::snprintf(vp, sizeof vp, "%s -> %s (x%.2f)", k(r.vec.pix1).c_str(), k(r.vec.pix2).c_str(),
                  r.vec.pix2 / r.vec.pix1);
    std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.task.c_str(), cell(r.have_ret, ret).c_str(),
                cell(r.have_state, k(r.state.env)).c_str(), cell(r.have_state, k(r.state.raw)).c_str(),
                cell(r.have_state, ratio).c_str(), cell(r.have_pixels, k(r.pixels.render)).c_str(),
                cell(r.have_pixels, k(r.pixels.step_render)).c_str(), cell(r.have_vec, vs).c_str(),
                cell(r.have_vec, vp).c_str());
  }
  std::printf("\ntotal %.1f s\n", std::chrono::duration<double>(Clock::now() - start).count());
  return ok ? 0 : 1;
}
