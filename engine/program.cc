#include "program.h"

#include <chrono>
#include <cmath>
#include <filesystem>

#include <c10/core/GradMode.h>
#include <fmt/format.h>

#include "plan.h"

namespace lf {

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
std::string hms(double s) {
  const auto t = static_cast<int64_t>(s);
  return t >= 3600 ? fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60) : fmt::format("{}:{:02}", t / 60, t % 60);
}
}  // namespace

ProgramRunner::ProgramRunner(Runtime& runtime, std::string run_dir, const std::atomic<bool>* stop)
    : rt_(runtime), run_dir_(std::move(run_dir)), stop_(stop) {
  std::filesystem::create_directories(run_dir_);
  jsonl_.open(run_dir_ + "/metrics.jsonl", std::ios::app);
  csv_.open(run_dir_ + "/metrics.csv", std::ios::app);
  if (!jsonl_ || !csv_) throw std::runtime_error("cannot write metrics in " + run_dir_);
  for (const auto& s : rt_.graph().program) {
    if (s.contains("repeat")) {
      main_counter_ = s.value("counter", std::string("iterations"));
      main_total_ = s["repeat"].get<int64_t>();
      break;
    }
  }
}

void ProgramRunner::run() {
  start_s_ = now_s();
  exec(rt_.graph().program, "/program");
}

void ProgramRunner::exec(const nlohmann::json& stmts, const std::string& pointer) {
  for (size_t i = 0; i < stmts.size() && !stopped_; ++i) {
    const auto& s = stmts[i];
    const std::string p = pointer + "/" + std::to_string(i);
    if (s.contains("call")) {
      call(s["call"].get<std::string>(), s.value("grad", true));
    } else if (s.contains("repeat")) {
      const std::string counter = s.value("counter", std::string("iterations"));
      const int64_t n = s["repeat"].get<int64_t>();
      // The counter counts iterations begun, so inside iteration k it reads k (1-based) and an
      // "every" after the work of the iteration sees the work done.
      for (int64_t k = 0; k < n && !stopped_; ++k) {
        ++counters_[counter];
        exec(s["do"], p + "/do");
        if (stop_ && stop_->load()) stopped_ = true;
      }
    } else if (s.contains("every")) {
      const int64_t c = counters_[s["counter"].get<std::string>()];
      if (c > 0 && c % s["every"].get<int64_t>() == 0) exec(s["do"], p + "/do");
    } else if (s.contains("log")) {
      log(s["log"].get<std::string>());
    }
  }
}

void ProgramRunner::call(const std::string& flow, bool grad) {
  FlowPlan& plan = rt_.plan(flow);
  std::vector<const at::Tensor*> in(plan.num_inputs(), &unconnected());
  std::vector<at::Tensor> out(plan.num_outputs());
  {
    c10::AutoGradMode mode(grad);
    plan.run(in.data(), out.data());
  }
  for (size_t o = 0; o < out.size(); ++o) {
    const at::Tensor& t = out[o];
    if (!t.defined() || t.numel() != 1 || !t.is_floating_point()) continue;
    const std::string& name = plan.flow().outputs[o].port;
    const double v = t.item<double>();
    if (!std::isfinite(v)) {
      std::string at;
      for (const auto& [c, n] : counters_) at += fmt::format(" {}={}", c, n);
      throw std::runtime_error(fmt::format("flow '{}' output '{}' is {} at{}: stopping before it spreads (lower the "
                                           "learning rate or clip gradients)", flow, name, v, at));
    }
    metrics_[name] = v;
  }
}

void ProgramRunner::log(const std::string& label) {
  const double elapsed = now_s() - start_s_;
  nlohmann::json row = {{"label", label}, {"time_s", elapsed}};
  for (const auto& [c, n] : counters_) row[c] = n;
  for (const auto& [m, v] : metrics_) row[m] = v;
  jsonl_ << row.dump() << "\n" << std::flush;

  if (csv_columns_.empty()) {
    // Columns are fixed by the first row; a CSV cannot grow columns later (the JSONL has them all).
    csv_columns_.push_back("time_s");
    for (const auto& [c, _] : counters_) csv_columns_.push_back(c);
    for (const auto& [m, _] : metrics_) csv_columns_.push_back(m);
    if (csv_.tellp() == 0) {
      std::string header;
      for (const auto& c : csv_columns_) header += (header.empty() ? "" : ",") + c;
      csv_ << header << "\n";
    }
  }
  std::string line;
  for (const auto& c : csv_columns_) {
    std::string cell;
    if (row.contains(c)) cell = row[c].is_number_integer() ? std::to_string(row[c].get<int64_t>()) : fmt::format("{:.6g}", row[c].get<double>());
    line += (line.empty() ? "" : ",") + cell;
  }
  csv_ << line << "\n" << std::flush;

  std::string text = rt_.graph().name;
  const int64_t done = counters_[main_counter_];
  for (const auto& [c, n] : counters_) {
    text += c == main_counter_ && main_total_ ? fmt::format(" | {} {}/{}", c, n, main_total_) : fmt::format(" | {} {}", c, n);
  }
  for (const auto& [m, v] : metrics_) text += fmt::format(" | {} {:.4g}", m, v);
  if (done > 0 && elapsed > 0) {
    const double rate = static_cast<double>(done) / elapsed;
    text += fmt::format(" | {:.1f} {}/s", rate, main_counter_);
    if (main_total_ > done) text += " | ETA " + hms(static_cast<double>(main_total_ - done) / rate);
  }
  fmt::print("{}\n", text);
  std::fflush(stdout);
}

}  // namespace lf
