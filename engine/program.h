// Runs a graph's program: the schedule of flow calls, loops over named counters, intervals, and
// logging. Flow outputs that are scalars become metrics, written to the run directory as
// metrics.jsonl and metrics.csv and shown on the progress line. A non-finite metric stops the run.
#pragma once

#include <atomic>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime.h"

namespace lf {

class ProgramRunner {
 public:
  // `run_dir` is created if missing. `stop` is polled between statements (set by Ctrl-C).
  ProgramRunner(Runtime& runtime, std::string run_dir, const std::atomic<bool>* stop = nullptr);

  // Throws std::runtime_error on a failed node or a non-finite metric.
  void run();

  const std::map<std::string, double>& metrics() const { return metrics_; }
  const std::map<std::string, int64_t>& counters() const { return counters_; }
  bool stopped() const { return stopped_; }

 private:
  void exec(const nlohmann::json& stmts, const std::string& pointer);
  void call(const std::string& flow, bool grad);
  void log(const std::string& label);

  Runtime& rt_;
  std::string run_dir_;
  const std::atomic<bool>* stop_;
  bool stopped_ = false;
  std::map<std::string, int64_t> counters_;
  std::map<std::string, double> metrics_;
  std::ofstream jsonl_, csv_;
  std::vector<std::string> csv_columns_;
  // Progress: the first top-level repeat drives the rate and the ETA.
  std::string main_counter_;
  int64_t main_total_ = 0;
  double start_s_ = 0;
};

}  // namespace lf
