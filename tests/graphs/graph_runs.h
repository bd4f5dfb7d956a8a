// Loading the repository's graph files and running their programs in a temporary run directory.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "plan.h"
#include "program.h"
#include "runtime.h"
#include "workspace.h"

namespace lf::testing {

inline const Workspace& workspace() {
  static const auto* w = new Workspace({LATENTFLOW_TEST_PLUGIN_DIR});
  return *w;
}

// A graph of the repository (path relative to it) with its presets and --set overrides.
inline std::unique_ptr<Graph> load_repo_graph(GraphSource src) {
  const std::string file = src.path;
  src.path = std::string(LATENTFLOW_SOURCE_DIR) + "/" + src.path;
  Diagnostics d;
  auto g = workspace().load_graph(src, d);
  EXPECT_TRUE(d.empty()) << d.format(file);
  return g;
}
inline std::unique_ptr<Graph> load_repo_graph(const std::string& file, const std::vector<std::string>& sets = {}) {
  return load_repo_graph(GraphSource{file, {}, sets});
}

inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("lf_graph_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

// How run_graph runs a program: the seed, which logged rows it returns, and where it stops (with
// `stop`, at the statement boundary after the `stop_after`-th row labelled `stop_label`; with
// `stop_at_poll` > 0, where the runner asks for the stop_at_poll-th time whether to stop: between
// statements or between a rollout's steps), writing its checkpoint.
struct RunOptions {
  uint64_t seed = 0;
  std::string keep_label;  // empty: every row
  std::atomic<bool>* stop = nullptr;
  std::string stop_label;
  int stop_after = 0;
  int64_t stop_at_poll = 0;
  int64_t* polls = nullptr;  // when given: set to how many times the runner asked
  bool* stopped = nullptr;   // when given: set to whether the run stopped before the end
};

// Runs a repository graph's program in `dir`, resuming what is there, and returns its logged rows.
inline std::vector<nlohmann::json> run_graph(const GraphSource& src, const std::filesystem::path& dir, const RunOptions& o) {
  auto g = load_repo_graph(src);
  Runtime rt(*g, {o.seed, 1, false});
  int64_t polls = 0;
  ProgramRunner runner(rt, dir.string(), [&] {
    ++polls;
    return (o.stop && o.stop->load()) || (o.stop_at_poll > 0 && polls >= o.stop_at_poll);
  });
  runner.resume();
  std::vector<nlohmann::json> rows;
  int seen = 0;
  runner.on_log = [&](const nlohmann::json& row) {
    if (o.keep_label.empty() || row["label"] == o.keep_label) rows.push_back(row);
    if (o.stop && row["label"] == o.stop_label && ++seen == o.stop_after) o.stop->store(true);
  };
  runner.run();
  if (o.polls) *o.polls = polls;
  if (o.stopped) *o.stopped = runner.stopped();
  return rows;
}

// Rows as the resume tests compare them: without their wall-clock time.
inline std::vector<nlohmann::json> timeless(std::vector<nlohmann::json> rows) {
  for (auto& r : rows) r.erase("time_s");
  return rows;
}

// A run stopped after `stop_after` rows labelled `label` and resumed logs the same rows (time aside)
// as the uninterrupted run, which logs `rows` of them.
inline void expect_exact_resume(const GraphSource& src, const std::string& name, uint64_t seed, const std::string& label,
                                size_t rows, int stop_after) {
  const auto whole = timeless(run_graph(src, fresh_dir(name + "_whole"), {seed, label}));
  ASSERT_EQ(whole.size(), rows);
  const auto dir = fresh_dir(name + "_resumed");
  std::atomic<bool> stop{false};
  ASSERT_EQ(run_graph(src, dir, {seed, label, &stop, label, stop_after}).size(), static_cast<size_t>(stop_after));
  const auto second = timeless(run_graph(src, dir, {seed, label}));
  ASSERT_EQ(second.size(), rows - static_cast<size_t>(stop_after));
  for (size_t k = 0; k < second.size(); ++k) EXPECT_EQ(whole[static_cast<size_t>(stop_after) + k], second[k]) << "row " << k;
}

// Stopped at `moments` points spread over the whole run (most of them between a rollout's steps,
// where the polls are) and resumed, the run logs exactly the rows of the uninterrupted one.
inline void expect_exact_resume_anywhere(const GraphSource& src, const std::string& name, uint64_t seed, int moments) {
  int64_t polls = 0;
  const auto whole = timeless(run_graph(src, fresh_dir(name + "_whole"), {.seed = seed, .polls = &polls}));
  ASSERT_GT(polls, 2 * moments);
  for (int j = 0; j < moments; ++j) {
    const int64_t at = (2 * j + 1) * polls / (2 * moments);
    const auto dir = fresh_dir(name + "_at_" + std::to_string(at));
    bool stopped = false;
    auto rows = timeless(run_graph(src, dir, {.seed = seed, .stop_at_poll = at, .stopped = &stopped}));
    ASSERT_TRUE(stopped) << "poll " << at << " of " << polls;
    for (auto& r : timeless(run_graph(src, dir, {.seed = seed}))) rows.push_back(r);
    ASSERT_EQ(rows.size(), whole.size()) << "stopped at poll " << at << " of " << polls;
    for (size_t k = 0; k < rows.size(); ++k) EXPECT_EQ(whole[k], rows[k]) << "row " << k << ", stopped at poll " << at;
  }
}

// The small presets of DreamerV2 and V3 (and their state variants): 20 agent steps per episode
// (40 control steps at action repeat 2), 2 prefill episodes, then rollouts of train_every agent
// steps each followed by an update to 80 agent steps: a row per episode, one evaluation (at 80)
// with its video, the open-loop video where the graph has one; every metric finite.
inline void expect_small_dreamer_run(const GraphSource& src, const std::string& name, int64_t updates,
                                     const std::vector<std::string>& metrics, bool open_loop) {
  const auto dir = fresh_dir(name);
  const auto rows = run_graph(src, dir, {5, "train"});
  ASSERT_EQ(rows.size(), 2u);
  const auto& last = rows.back();
  EXPECT_EQ(last["episodes"], 4);
  EXPECT_EQ(last["agent_steps"], 80);
  EXPECT_EQ(last["env_steps"], 160);
  EXPECT_EQ(last["updates"], updates);
  EXPECT_EQ(last["eval_episodes"], 1);
  for (const auto& m : metrics) {
    ASSERT_TRUE(last.contains(m)) << m;
    EXPECT_TRUE(std::isfinite(last[m].get<double>())) << m;
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "videos/eval_step-eval_episodes-1.gif"));
  EXPECT_EQ(std::filesystem::exists(dir / "media/open_loop-openl-160.gif"), open_loop);
}

// A graph's runtime after its program's first statement alone (the prefill that fills the replay),
// so that a test can call the graph's flows on real data.
struct Prefilled {
  std::unique_ptr<Graph> graph;
  std::unique_ptr<Runtime> rt;
};
inline Prefilled run_prefill(const GraphSource& src, const std::string& name, uint64_t seed) {
  nlohmann::json doc = load_repo_graph(src)->json;
  doc["program"] = nlohmann::json::array({doc["program"][0]});
  Diagnostics d;
  Prefilled p;
  p.graph = workspace().load_graph_json(doc, name + ".json", d);
  EXPECT_TRUE(d.empty()) << d.format(name + ".json");
  p.rt = std::make_unique<Runtime>(*p.graph, RuntimeOptions{seed, 1, false});
  ProgramRunner(*p.rt, fresh_dir(name).string()).run();
  return p;
}

// Copies of a block's weights, in module order.
inline std::vector<at::Tensor> block_weights(Runtime& rt, const std::string& block) {
  std::vector<at::Tensor> w;
  for (const auto& p : rt.modules().at(block)->parameters()) w.push_back(p.detach().clone());
  return w;
}

// Calls a flow of the program's kind (no inputs) and returns its outputs.
inline std::vector<at::Tensor> call_flow(Runtime& rt, const std::string& flow) {
  auto& plan = rt.plan(flow);
  std::vector<const at::Tensor*> ins(plan.num_inputs(), &unconnected());
  std::vector<at::Tensor> outs(plan.num_outputs());
  plan.run(ins.data(), outs.data());
  return outs;
}

inline std::vector<nlohmann::json> read_rows(const std::filesystem::path& path) {
  std::vector<nlohmann::json> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

}  // namespace lf::testing
