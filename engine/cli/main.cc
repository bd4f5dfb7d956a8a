// The `engine` command line. Exit codes: 0 success, 1 failure at run time, 2 bad input.
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <tbb/global_control.h>

#include "allocator.h"
#include "blas_check.h"
#include "diagnostics.h"
#include "graph_view.h"
#include "env_command.h"
#include "viz_command.h"
#include "json_file.h"
#include "program.h"
#include "runtime.h"
#include "schema_text.h"
#include "workspace.h"

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int64_t> g_stop_ns{0};

int64_t monotonic_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);  // async-signal-safe, unlike std::chrono's clocks
  return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
}

// The first Ctrl-C (SIGINT) stops the run at the next statement boundary or rollout step with a
// checkpoint; another one a second or more later kills it. One sooner is the same interrupt
// delivered twice: `timeout -s INT` signals the engine and then its whole process group, which
// killed a benchmark before it could checkpoint.
void on_sigint(int) {
  const int64_t now = monotonic_ns();
  if (!g_stop.exchange(true)) {
    g_stop_ns = now;
  } else if (now - g_stop_ns >= 1'000'000'000) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
}

struct Options {
  std::vector<std::string> plugin_path;
  std::string graph;
  std::vector<std::string> presets;
  std::vector<std::string> sets;
  uint64_t seed = 0;
  std::string run_dir;
  std::string trace;
  int threads = 0;
  int inter_op = 1;
  std::string type;
  bool json = false;
  bool tensorboard = false;
  std::string out;
};

// Loads and validates; prints every error and throws InputError when there is any.
std::unique_ptr<lf::Graph> load(const lf::Workspace& ws, const Options& o) {
  lf::Diagnostics diags;
  auto g = ws.load_graph({o.graph, o.presets, o.sets}, diags);
  if (!diags.empty()) {
    std::cerr << diags.format(o.graph);
    throw lf::InputError(fmt::format("{}: {} error{}", o.graph, diags.size(), diags.size() == 1 ? "" : "s"));
  }
  return g;
}

// Builds every block and every node of the flows the program calls, running the nodes' own checks
// (more elites than candidates, a sampler over a block that is not a replay): a node that refuses
// its params is bad input, reported like validation's errors.
std::unique_ptr<lf::Runtime> build_nodes(const lf::Graph& g, const Options& o, lf::RuntimeOptions options) {
  try {
    auto rt = std::make_unique<lf::Runtime>(g, options);
    lf::compile_program(*rt);
    return rt;
  } catch (const lf::BuildError& e) {
    lf::Diagnostics diags;
    diags.error(e.where(), lf::without_backtrace(e.what()));
    g.explain(diags.items().back());
    std::cerr << diags.format(o.graph);
    throw lf::InputError(o.graph + ": 1 error");
  }
}

void warn_plugins(const lf::Workspace& ws) {
  for (const auto& r : ws.plugins().refused()) std::cerr << "warning: plugin refused: " << r.file << ": " << r.message << "\n";
}

// An error as users read it: without LibTorch's backtrace, and not megabytes long.
std::string user_message(const std::exception& e) { return lf::clip_text(lf::without_backtrace(e.what()), 20000); }

std::string default_run_dir(const lf::Graph& g) {
  char stamp[32];
  const std::time_t t = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&t));
  return "runs/" + g.name + "-" + stamp;
}

int cmd_run(const Options& o) {
  if (auto w = lf::blas_warning(); !w.empty()) std::cerr << "warning: " << w << "\n";
  lf::Workspace ws(o.plugin_path);
  warn_plugins(ws);
  auto graph = load(ws, o);
  if (graph->program.empty())
    throw lf::InputError(o.graph + ": the graph has no program, so there is nothing to run (validate, viz and dot "
                         "read such a graph)");
  const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int inter_op = std::clamp(o.inter_op, 1, threads);
  // Nodes of a flow run on inter_op workers, each running torch ops on threads/inter_op intra-op
  // threads: never more busy threads than cores. Nodes with parallel work of their own (a vector of
  // environments) use up to `threads` TBB workers while torch is idle.
  tbb::global_control tbb_limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
  at::set_num_threads(std::max(1, threads / inter_op));

  const auto rt = build_nodes(*graph, o, {o.seed, inter_op, !o.trace.empty()});

  const std::string run_dir = o.run_dir.empty() ? default_run_dir(*graph) : o.run_dir;
  try {
    std::filesystem::create_directories(run_dir);
    if (!std::filesystem::is_directory(run_dir)) throw std::runtime_error("not a directory");
    // Can the run write there? Find out before anything runs (a read-only file system, say).
    lf::write_file_atomic(run_dir + "/.write_test", "");
    std::filesystem::remove(run_dir + "/.write_test");
  } catch (const std::exception& e) {
    throw lf::InputError("--run-dir " + run_dir + ": cannot write a run there (" + e.what() + ")");
  }
  const std::string saved_graph = run_dir + "/graph.json";
  const bool resuming = std::filesystem::exists(run_dir + "/checkpoint.pt");
  if (resuming && !std::filesystem::exists(saved_graph))
    throw lf::InputError(fmt::format("{} holds a checkpoint but no graph.json, so whether this graph may continue it "
                                     "cannot be checked; restore graph.json or choose another --run-dir",
                                     run_dir));
  if (resuming) {
    // A run continues only with the graph it started with (after its --set overrides).
    const auto before = lf::read_json_file(saved_graph);
    const auto diff = nlohmann::json::diff(before, graph->json);
    if (!diff.empty()) {
      throw lf::InputError(fmt::format("{} holds a run of another graph ({} {} differs from {}); resume with the same "
                                       "file and --set values, or choose another --run-dir",
                                       run_dir, diff[0].value("op", ""), diff[0].value("path", ""), saved_graph));
    }
  } else {
    lf::write_file_atomic(saved_graph, graph->json.dump(2) + "\n");
  }
  fmt::print("run {} | seed {} | {} threads ({} inter-op) | dir {}\n", graph->name, o.seed, threads, inter_op, run_dir);

  lf::ProgramRunner runner(*rt, run_dir, [] { return g_stop.load(); });
  if (o.tensorboard) runner.write_tensorboard();
  std::signal(SIGINT, on_sigint);
  int rc = 0;
  try {
    if (runner.resume()) {
      std::string at;
      for (const auto& [c, n] : runner.counters()) at += fmt::format(" {} {}", c, n);
      fmt::print("resuming from {}:{}\n", runner.checkpoint_path(), at);
    }
    const bool complete = runner.at_end();
    runner.run();
    if (complete) {
      fmt::print("the run is complete: nothing to do (use another --run-dir for a new run)\n");
    } else if (runner.stopped()) {
      fmt::print("interrupted: checkpoint saved to {}; run the same command to resume\n", runner.checkpoint_path());
      rc = 130;
    } else {
      fmt::print("done: checkpoint {}\n", runner.checkpoint_path());
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << user_message(e) << "\n";
    rc = 1;
  }
  if (!o.trace.empty()) lf::write_file_atomic(o.trace, rt->trace_data().to_json().dump(2) + "\n");
  return rc;
}

// Loads a run directory's graph and checkpoint and runs its evaluation rollouts only.
int cmd_eval(const Options& o, int episodes) {
  lf::Workspace ws(o.plugin_path);
  warn_plugins(ws);
  Options g = o;
  g.graph = o.run_dir + "/graph.json";
  if (!std::filesystem::exists(g.graph)) throw lf::InputError(o.run_dir + " is not a run directory (no graph.json)");
  if (!std::filesystem::exists(o.run_dir + "/checkpoint.pt")) throw lf::InputError(o.run_dir + " has no checkpoint.pt to evaluate");
  auto graph = load(ws, g);
  at::set_num_threads(o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  lf::Runtime rt(*graph, {o.seed, 1, false});
  // Nothing is saved: the run directory's checkpoint stays as it was.
  lf::ProgramRunner runner(rt, o.run_dir, [] { return g_stop.load(); });
  runner.load(runner.checkpoint_path());
  std::string at;
  for (const auto& [c, n] : runner.counters()) at += fmt::format(" {} {}", c, n);
  fmt::print("eval {} | checkpoint:{}\n", o.run_dir, at);
  const auto rows = runner.evaluate(episodes);
  if (rows.empty()) throw lf::InputError("the program has no rollout marked \"eval\": true");
  std::ofstream out(o.run_dir + "/eval.jsonl", std::ios::app);
  for (auto row : rows) {
    for (const auto& [c, n] : runner.counters()) row[c] = n;
    std::string text = fmt::format("{} run {}", row["rollout"].get<std::string>(), row["run"].get<int>());
    for (const auto& [k, v] : row.items())
      if (v.is_number_float()) text += fmt::format(" | {} {:.4g}", k, v.get<double>());
    fmt::print("{}\n", text);
    out << row.dump() << "\n";
  }
  return 0;
}

int cmd_validate(const Options& o) {
  lf::Workspace ws(o.plugin_path);
  warn_plugins(ws);
  auto g = load(ws, o);
  build_nodes(*g, o, {0, 1, false});
  fmt::print("{}: ok ({} blocks, {} flows)\n", o.graph, g->blocks.size(), g->flows.size());
  return 0;
}

// Prints the expansion (what runs) of a valid graph.
int cmd_expand(const Options& o) {
  lf::Workspace ws(o.plugin_path);
  warn_plugins(ws);
  fmt::print("{}\n", load(ws, o)->json.dump(2));
  return 0;
}

int cmd_nodes(const Options& o) {
  lf::Workspace ws(o.plugin_path);
  warn_plugins(ws);
  for (const auto& [name, t] : ws.registry().types()) fmt::print("{:<28} {}\n", name, t.schema.doc);
  return 0;
}

int cmd_describe(const Options& o) {
  lf::Workspace ws(o.plugin_path);
  const lf::NodeType* t = ws.registry().find(o.type);
  if (!t) throw lf::InputError("unknown node type '" + o.type + "'" + lf::suggest(o.type, ws.registry().names()));
  if (o.json) fmt::print("{}\n", lf::schema_json(t->schema).dump(2));
  else fmt::print("{}", lf::describe_schema(t->schema, t->origin));
  return 0;
}

int cmd_dot(const Options& o) {
  lf::Workspace ws(o.plugin_path);
  lf::Diagnostics diags;  // a partly invalid graph still draws; its errors go to stderr
  auto g = ws.load_graph({o.graph, o.presets, o.sets}, diags);
  if (!diags.empty()) std::cerr << diags.format(o.graph);
  const std::string dot = lf::graph_dot(*g, diags);
  if (o.out.empty()) fmt::print("{}", dot);
  else lf::write_file_atomic(o.out, dot);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (!lf::configure_allocator()) std::cerr << "warning: glibc refused the heap settings (mallopt); runs may be slower\n";
  CLI::App app{"LatentFlow: model-based RL with latent world models, as graphs of plugin nodes"};
  app.require_subcommand(1);
  Options o;
  app.add_option("--plugin-path", o.plugin_path, "extra folder with lf_*.so plugins (repeatable)");
  app.fallthrough();  // --plugin-path is accepted after the subcommand too

  auto add_graph = [&](CLI::App* c) {
    c->add_option("graph", o.graph, "graph file (JSON)")->required();
    c->add_option("--preset", o.presets, "apply one of the graph's presets, e.g. cheetah_run or small (repeatable, in order)");
    c->add_option("--set", o.sets, "override a value: path.to.key=value (repeatable, after the presets)");
  };
  auto* run = app.add_subcommand("run", "validate and run a graph's program");
  add_graph(run);
  run->add_option("--seed", o.seed, "seed of every random generator of the run");
  run->add_option("--run-dir", o.run_dir, "where metrics go (default runs/<name>-<time>)");
  run->add_option("--trace", o.trace, "write per-node call counts and times as JSON to this file");
  run->add_option("--threads", o.threads, "cores to use (default: all)");
  run->add_option("--inter-op", o.inter_op, "nodes of a flow run concurrently on this many workers (default 1)");
  run->add_flag("--tensorboard", o.tensorboard, "also write the metrics as TensorBoard events (run_dir/events.out.tfevents.latentflow)");
  int eval_episodes = 10;
  auto* eval = app.add_subcommand("eval", "run a run directory's evaluation rollouts from its checkpoint");
  eval->add_option("run_dir", o.run_dir, "run directory (graph.json and checkpoint.pt)")->required();
  eval->add_option("--episodes", eval_episodes, "runs of each evaluation rollout (default 10)");
  eval->add_option("--seed", o.seed, "seed for blocks not restored by the checkpoint");
  eval->add_option("--threads", o.threads, "cores to use (default: all)");
  auto* validate = app.add_subcommand("validate", "check a graph and report every error");
  add_graph(validate);
  auto* expand = app.add_subcommand("expand", "print the graph as it runs: extends, presets, --set and vars applied");
  add_graph(expand);
  app.add_subcommand("nodes", "list every node type with its one-line doc");
  auto* describe = app.add_subcommand("describe", "print a node type's full schema");
  describe->add_option("type", o.type, "node type, e.g. rssm.gaussian_prior")->required();
  describe->add_flag("--json", o.json, "as JSON");
  lf::VizOptions viz_o;
  auto* viz = app.add_subcommand("viz", "render a graph or a run directory as a self-contained HTML page (or .svg, .dot)");
  viz->add_option("input", viz_o.input, "graph file, or a run directory (graph.json, metrics.csv, trace.json)")->required();
  viz->add_option("-o,--out", viz_o.out, "output: .html (default <name>.html), .svg or .dot");
  viz->add_option("--trace", viz_o.trace, "trace file from `engine run --trace`: per-node time as a heat colour");
  viz->add_option("--preset", viz_o.presets, "apply one of the graph's presets (repeatable, in order)");
  viz->add_option("--set", viz_o.sets, "override a value: path.to.key=value (repeatable, after the presets)");
  lf::EnvCommandOptions env_o;
  auto* env = app.add_subcommand("env", "show a task's spec, run a random episode, optionally save frames");
  env->add_option("task", env_o.task, "a task of envs.dmc (cartpole_swingup), or a custom environment's node type")->required();
  env->add_option("--action-repeat", env_o.action_repeat, "control steps per agent step");
  env->add_option("--size", env_o.size, "image size");
  env->add_option("--camera", env_o.camera, "camera id (-1: the task's default)");
  env->add_option("--frames", env_o.frames, "render this many frames spread over the episode");
  env->add_option("--out", env_o.out, "PNG strip of the frames (with --frames)");
  env->add_option("--seed", env_o.seed, "seed of the environment and the random policy");
  auto* dot = app.add_subcommand("dot", "export a graph as Graphviz DOT");
  add_graph(dot);
  dot->add_option("-o,--out", o.out, "output file (default: stdout)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (*run) return cmd_run(o);
    if (*validate) return cmd_validate(o);
    if (*expand) return cmd_expand(o);
    if (*eval) return cmd_eval(o, eval_episodes);
    if (app.got_subcommand("nodes")) return cmd_nodes(o);
    if (*describe) return cmd_describe(o);
    if (*dot) return cmd_dot(o);
    if (*viz) {
      viz_o.plugin_path = o.plugin_path;
      return lf::run_viz_command(viz_o);
    }
    if (*env) {
      if (env_o.frames > 0 && env_o.out.empty()) throw lf::InputError("--frames needs --out FILE.png");
      env_o.plugin_path = o.plugin_path;
      return lf::run_env_command(env_o);
    }
  } catch (const lf::InputError& e) {
    std::cerr << "error: " << user_message(e) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << user_message(e) << "\n";
    return 1;
  }
  return 1;
}
