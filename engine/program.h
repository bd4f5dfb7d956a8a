// Runs a graph's program: the schedule of flow calls, rollouts in environments, loops over named
// counters, intervals, logging and checkpoints. Flow outputs that are scalars become metrics,
// written to the run directory as metrics.jsonl and metrics.csv and shown on the progress line. A
// non-finite metric stops the run. With write_tensorboard(), each logged row is also a TensorBoard
// event (run_dir/events.out.tfevents.latentflow): tags "<label>/<metric>", step = the log's rate
// counter (else the main loop's counter).
//
// Pictures: a rollout with "video" writes its first episode as run_dir/videos/<flow>-<counter>-<n>.gif;
// a "media" statement writes a flow's frame outputs as run_dir/media/<flow>-<output>[-<n>].png
// (one frame [H, W, 3]) or .gif (frames [T, H, W, 3]).
//
// Checkpoints (run_dir/checkpoint.pt) hold the program's position: the path of statement indices
// and repeat iterations to the next statement to run. A resumed runner continues exactly there,
// with the counters, metrics and every node's state restored. A checkpoint is written by the
// "checkpoint" statement, at the end of the program, and when `stop` returns true (Ctrl-C): then at
// the next statement boundary, or within a rollout between two steps, where the checkpoint holds
// the rollout's progress and the episodes under way, which the resumed run continues.
#pragma once

#include <array>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "rollout.h"
#include "runtime.h"

namespace lf {

class EventFileWriter;

// Compiles every flow the program calls (their inline nodes are built): what a ProgramRunner does
// first, and `engine validate` to run the nodes' own checks. Throws BuildError at a refused node.
void compile_program(Runtime& runtime);

class ProgramRunner {
 public:
  // `run_dir` is created if missing. `stop` (may be empty) is polled between statements and
  // between a rollout's steps.
  ProgramRunner(Runtime& runtime, std::string run_dir, std::function<bool()> stop = {});
  ~ProgramRunner();

  // Also write TensorBoard event files; call before run().
  void write_tensorboard() { tensorboard_ = true; }
  // Loads run_dir/checkpoint.pt when there is one and drops the metrics rows logged after it;
  // returns whether it did.
  bool resume();
  // Loads a checkpoint's weights, node states and counters, and nothing else (for evaluation).
  nlohmann::json load(const std::string& checkpoint);
  // Runs the program (from the resumed position). Throws std::runtime_error on a failed node or a
  // non-finite metric, leaving the last checkpoint as it was.
  void run();
  // Runs every rollout statement marked "eval": true `episodes` times; nothing is written to the
  // checkpoint. Returns one row per run with the rollout's metrics.
  std::vector<nlohmann::json> evaluate(int episodes);

  const std::map<std::string, double>& metrics() const { return metrics_; }
  const std::map<std::string, int64_t>& counters() const { return counters_; }
  bool stopped() const { return stopped_; }
  bool finished() const { return finished_; }
  // A resumed runner whose checkpoint was written at the end of the program: nothing is left.
  bool at_end() const;
  std::string checkpoint_path() const { return run_dir_ + "/checkpoint.pt"; }

  // Called with every row the log statement writes.
  std::function<void(const nlohmann::json& row)> on_log;

 private:
  using Position = std::vector<std::array<int64_t, 2>>;  // per depth: statement index, repeat iteration
  void exec(const nlohmann::json& stmts, const std::string& pointer);
  // Runs a flow that has no required inputs, in or out of autograd.
  // Runs a flow called by `statement` (its "counters" bound to their current values).
  std::vector<at::Tensor> run_flow(FlowPlan& plan, bool grad, const nlohmann::json& statement);
  void call(const nlohmann::json& statement);
  bool rollout(const nlohmann::json& stmt, const std::string& pointer);
  void log(const nlohmann::json& stmt);
  void media(const nlohmann::json& stmt);
  void write_video(const Rollout& r, const std::string& file);
  void check_finite(const std::string& what, double v) const;
  void save(const Position& next);
  void open_metrics_files();
  std::string metrics_file(const std::string& kind) const;  // kind: jsonl, csv or tfevents
  double elapsed_s() const;

  Runtime& rt_;
  std::string run_dir_;
  std::function<bool()> stop_;
  bool stopped_ = false, finished_ = false;
  std::map<std::string, int64_t> counters_;
  std::map<std::string, double> metrics_;
  std::map<std::string, std::unique_ptr<Rollout>> rollouts_;  // by statement pointer
  // By "every" statement pointer: how many multiples of its interval its counter had passed when
  // it was last checked (checkpointed).
  std::map<std::string, int64_t> every_;
  Position pos_, resume_;
  std::ofstream jsonl_, csv_;
  bool tensorboard_ = false;
  std::unique_ptr<EventFileWriter> events_;
  std::vector<std::string> csv_columns_;
  // Rates and the ETA count from this process's start.
  double start_s_ = 0, elapsed_before_s_ = 0;
  std::map<std::string, int64_t> counters_at_start_;
};

}  // namespace lf
