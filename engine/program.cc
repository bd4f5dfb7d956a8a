#include "program.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>

#include <c10/core/GradMode.h>
#include <fmt/format.h>

#include "checkpoint.h"
#include "counter_inputs.h"
#include "json_file.h"
#include "media.h"
#include "plan.h"
#include "tensorboard.h"

namespace lf {

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
std::string hms(double s) {
  const auto t = static_cast<int64_t>(s);
  return t >= 3600 ? fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60) : fmt::format("{}:{:02}", t / 60, t % 60);
}
// A CSV header field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& name) {
  if (name.find_first_of(",\"\r\n") == std::string::npos) return name;
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}
int64_t file_size(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(n);
}
}  // namespace

ProgramRunner::ProgramRunner(Runtime& runtime, std::string run_dir, std::function<bool()> stop)
    : rt_(runtime), run_dir_(std::move(run_dir)), stop_(std::move(stop)) {
  std::filesystem::create_directories(run_dir_);
  // In program order, so that a resumed run has built the same stateful call-site nodes before
  // its checkpoint is loaded.
  compile_program(rt_);
}

void compile_program(Runtime& rt) {
  std::function<void(const nlohmann::json&)> compile = [&](const nlohmann::json& stmts) {
    for (const auto& s : stmts) {
      for (const char* key : {"call", "rollout", "init", "media"})
        if (s.contains(key)) rt.plan(s[key].get<std::string>());
      if (s.contains("do")) compile(s["do"]);
    }
  };
  compile(rt.graph().program);
}

ProgramRunner::~ProgramRunner() = default;

bool ProgramRunner::resume() {
  if (!std::filesystem::exists(checkpoint_path())) {
    // A fresh start: rows of a run killed before its first checkpoint are not this run's.
    for (const char* f : {"jsonl", "csv", "tfevents"}) std::filesystem::remove(metrics_file(f));
    return false;
  }
  const nlohmann::json state = load(checkpoint_path());
  resume_ = state.at("next").get<Position>();
  csv_columns_ = state.at("csv_columns").get<std::vector<std::string>>();
  elapsed_before_s_ = state.at("elapsed_s").get<double>();
  // Rows logged after the checkpoint are logged again by the resumed run. (Checkpoints written
  // before event files existed name no "tfevents" size.)
  for (const char* f : {"jsonl", "csv", "tfevents"}) {
    if (!state.at("files").contains(f)) continue;
    const std::string path = metrics_file(f);
    const auto size = state.at("files").at(f).get<int64_t>();
    if (std::filesystem::exists(path) && file_size(path) > size) std::filesystem::resize_file(path, static_cast<uintmax_t>(size));
  }
  return true;
}

nlohmann::json ProgramRunner::load(const std::string& checkpoint) {
  std::map<std::string, TensorDict> rollouts;
  nlohmann::json state = load_checkpoint(checkpoint, rt_, &rollouts);
  counters_ = state.at("counters").get<std::map<std::string, int64_t>>();
  metrics_ = state.at("metrics").get<std::map<std::string, double>>();
  // (Checkpoints written before "every" kept a state hold none: each starts as at a first check.)
  every_ = state.value("every", std::map<std::string, int64_t>{});
  rollouts_.clear();
  for (const auto& [pointer, saved] : rollouts) {
    const std::string prefix = "/program";
    const nlohmann::json& program = rt_.graph().program;
    auto statement = [&]() -> const nlohmann::json* {
      if (pointer.rfind(prefix, 0) != 0) return nullptr;
      try {
        const nlohmann::json::json_pointer at(pointer.substr(prefix.size()));
        return program.contains(at) && program[at].contains("rollout") ? &program[at] : nullptr;
      } catch (const nlohmann::json::exception&) {
        return nullptr;
      }
    }();
    if (!statement)
      throw std::runtime_error(fmt::format("{}: the checkpoint has a rollout at {}, which the program does not", checkpoint, pointer));
    auto& r = rollouts_[pointer];
    r = std::make_unique<Rollout>(rt_, *statement);
    try {
      r->load_state(saved);
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("{}: {}: {}", checkpoint, pointer, e.what()));
    }
  }
  return state;
}

std::string ProgramRunner::metrics_file(const std::string& kind) const {
  return kind == "tfevents" ? run_dir_ + "/events.out.tfevents.latentflow" : run_dir_ + "/metrics." + kind;
}

void ProgramRunner::open_metrics_files() {
  jsonl_.open(metrics_file("jsonl"), std::ios::app);
  csv_.open(metrics_file("csv"), std::ios::app);
  if (!jsonl_ || !csv_) throw std::runtime_error("cannot write metrics in " + run_dir_);
  if (tensorboard_) events_ = std::make_unique<EventFileWriter>(metrics_file("tfevents"));
}

bool ProgramRunner::at_end() const {
  return resume_.size() == 1 && resume_[0][0] >= static_cast<int64_t>(rt_.graph().program.size());
}

double ProgramRunner::elapsed_s() const { return elapsed_before_s_ + now_s() - start_s_; }

void ProgramRunner::run() {
  open_metrics_files();
  start_s_ = now_s();
  counters_at_start_ = counters_;
  if (at_end()) {
    resume_.clear();
    finished_ = true;
    return;
  }
  exec(rt_.graph().program, "/program");
  if (!stopped_) {
    save({{static_cast<int64_t>(rt_.graph().program.size()), 0}});
    finished_ = true;
  }
}

void ProgramRunner::save(const Position& next) {
  jsonl_.flush();
  csv_.flush();
  const nlohmann::json state = {{"counters", counters_},
                                {"metrics", metrics_},
                                {"every", every_},
                                {"next", next},
                                {"csv_columns", csv_columns_},
                                {"elapsed_s", elapsed_s()},
                                {"files", {{"jsonl", file_size(metrics_file("jsonl"))},
                                           {"csv", file_size(metrics_file("csv"))},
                                           {"tfevents", file_size(metrics_file("tfevents"))}}}};
  std::map<std::string, TensorDict> rollouts;
  for (const auto& [pointer, r] : rollouts_) r->save_state(rollouts[pointer]);
  save_checkpoint(checkpoint_path(), rt_, state, rollouts);
}

void ProgramRunner::exec(const nlohmann::json& stmts, const std::string& pointer) {
  const size_t depth = pos_.size();
  // Resuming: this level starts at the saved index. At the saved path's last level the position
  // is the next statement to run; above it, the statement at that index is entered again.
  int64_t first = 0;
  bool enter = false;
  if (!resume_.empty()) {
    first = resume_[depth][0];
    enter = depth + 1 < resume_.size();
    if (!enter) resume_.clear();
  }
  pos_.push_back({0, 0});
  for (auto i = first; i < static_cast<int64_t>(stmts.size()) && !stopped_; ++i, enter = false) {
    const auto& s = stmts[static_cast<size_t>(i)];
    const std::string p = pointer + "/" + std::to_string(i);
    pos_[depth] = {i, 0};
    if (!enter && stop_ && stop_()) {
      stopped_ = true;
      save(pos_);
      break;
    }
    if (s.contains("call")) {
      call(s);
    } else if (s.contains("rollout")) {
      if (!rollout(s, p)) {
        stopped_ = true;
        save(pos_);
      }
    } else if (s.contains("repeat")) {
      const std::string counter = s.value("counter", std::string(kRepeatCounter));
      const int64_t n = s["repeat"].get<int64_t>();
      // The counter counts iterations begun, so inside iteration k it reads k (1-based) and an
      // "every" after the work of the iteration sees the work done. A resumed iteration was
      // counted before the checkpoint.
      for (int64_t k = enter ? resume_[depth][1] : 0; k < n && !stopped_; ++k, enter = false) {
        if (!enter) ++counters_[counter];
        pos_[depth][1] = k;
        exec(s["do"], p + "/do");
      }
    } else if (s.contains("every")) {
      // Runs when the counter is a positive multiple of the interval or has passed one since this
      // statement was last checked: at every multiple for a counter that counts one by one, and
      // once after a jump over one or more (rollouts of 32 agent steps against an interval of 500).
      // The first check runs only on a multiple: what the counter passed before it (a prefill)
      // is not owed.
      const int64_t c = counters_[s["counter"].get<std::string>()], n = s["every"].get<int64_t>();
      const int64_t reached = c / n;
      auto& done = every_.try_emplace(p, c > 0 ? (c - 1) / n : 0).first->second;
      if (enter) {
        exec(s["do"], p + "/do");
      } else if (reached > done) {
        done = reached;
        exec(s["do"], p + "/do");
      }
    } else if (s.contains("log")) {
      log(s);
    } else if (s.contains("media")) {
      media(s);
    } else if (s.contains("checkpoint")) {
      Position next = pos_;
      next.back()[0] = i + 1;
      save(next);
    }
  }
  pos_.pop_back();
}

void ProgramRunner::check_finite(const std::string& what, double v) const {
  if (std::isfinite(v)) return;
  std::string at;
  for (const auto& [c, n] : counters_) at += fmt::format(" {}={}", c, n);
  const bool kept = std::filesystem::exists(checkpoint_path());
  throw std::runtime_error(fmt::format("{} is {} at{}: stopping before it spreads (lower the learning rate or clip "
                                       "gradients); {}", what, v, at,
                                       kept ? "the last checkpoint is kept" : "no checkpoint was written yet"));
}

std::vector<at::Tensor> ProgramRunner::run_flow(FlowPlan& plan, bool grad, const nlohmann::json& statement) {
  std::vector<const at::Tensor*> in(plan.num_inputs(), &unconnected());
  CounterInputs counter_inputs(plan.flow(), statement);  // holds the values `in` points at
  counter_inputs.bind(in, counters_);
  std::vector<at::Tensor> out(plan.num_outputs());
  c10::AutoGradMode mode(grad);
  plan.run(in.data(), out.data());
  return out;
}

void ProgramRunner::call(const nlohmann::json& statement) {
  const std::string flow = statement["call"].get<std::string>();
  FlowPlan& plan = rt_.plan(flow);
  const std::vector<at::Tensor> out = run_flow(plan, statement.value("grad", true), statement);
  for (size_t o = 0; o < out.size(); ++o) {
    const at::Tensor& t = out[o];
    if (!t.defined() || t.numel() != 1 || !t.is_floating_point()) continue;
    const std::string& name = plan.flow().outputs[o].port;
    const double v = t.item<double>();
    check_finite(fmt::format("flow '{}' output '{}'", flow, name), v);
    metrics_[name] = v;
  }
}

bool ProgramRunner::rollout(const nlohmann::json& stmt, const std::string& pointer) {
  auto& r = rollouts_[pointer];
  if (!r) r = std::make_unique<Rollout>(rt_, stmt);
  if (!r->run(counters_, metrics_, stop_)) return false;  // paused: the checkpoint holds where
  for (const auto& [m, v] : metrics_) check_finite("metric '" + m + "'", v);
  write_video(*r, fmt::format("{}-{}-{}", stmt["rollout"].get<std::string>(), r->episodes_counter(),
                              counters_[r->episodes_counter()]));
  return true;
}

std::vector<nlohmann::json> ProgramRunner::evaluate(int episodes) {
  std::vector<nlohmann::json> rows;
  std::function<void(const nlohmann::json&, const std::string&)> visit = [&](const nlohmann::json& stmts, const std::string& ptr) {
    for (size_t i = 0; i < stmts.size(); ++i) {
      const auto& s = stmts[i];
      const std::string p = ptr + "/" + std::to_string(i);
      if (s.contains("do")) visit(s["do"], p + "/do");
      if (!s.contains("rollout") || !s.value("eval", false)) continue;
      auto& r = rollouts_[p];
      if (!r) r = std::make_unique<Rollout>(rt_, s);
      if (r->paused()) {
        // A checkpoint written within this evaluation: its episodes end first, unreported.
        std::map<std::string, double> metrics;
        auto counters = counters_;
        if (!r->run(counters, metrics, stop_)) return;
      }
      for (int e = 0; e < episodes; ++e) {
        std::map<std::string, double> metrics;
        auto counters = counters_;
        if (!r->run(counters, metrics, stop_)) return;
        write_video(*r, fmt::format("eval-{}-{}", s["rollout"].get<std::string>(), e + 1));
        nlohmann::json row = {{"rollout", s["rollout"]}, {"run", e + 1}};
        for (const auto& [m, v] : metrics) row[m] = v;
        rows.push_back(row);
      }
    }
  };
  visit(rt_.graph().program, "/program");
  return rows;
}

void ProgramRunner::write_video(const Rollout& r, const std::string& file) {
  if (!r.video().defined()) return;
  std::filesystem::create_directories(run_dir_ + "/videos");
  write_gif(run_dir_ + "/videos/" + file + ".gif", r.video());
}

void ProgramRunner::media(const nlohmann::json& stmt) {
  const std::string flow = stmt["media"].get<std::string>();
  FlowPlan& plan = rt_.plan(flow);
  const std::vector<at::Tensor> out = run_flow(plan, false, stmt);
  const std::string suffix = stmt.contains("counter") ? fmt::format("-{}", counters_[stmt["counter"].get<std::string>()]) : "";
  std::filesystem::create_directories(run_dir_ + "/media");
  for (size_t o = 0; o < out.size(); ++o) {
    const std::string base = run_dir_ + "/media/" + flow + "-" + plan.flow().outputs[o].port + suffix;
    const at::Tensor& t = out[o];
    if (t.defined() && t.dim() == 3) {
      write_png(base + ".png", t);
    } else if (t.defined() && t.dim() == 4) {
      write_gif(base + ".gif", t);
    } else {
      throw std::runtime_error(fmt::format("media: flow '{}' output '{}' is {}: expected a frame [H, W, 3] or frames [T, H, W, 3]",
                                           flow, plan.flow().outputs[o].port, t.defined() ? c10::str(t.sizes()) : "undefined"));
    }
  }
}

void ProgramRunner::log(const nlohmann::json& stmt) {
  const std::string label = stmt["log"].get<std::string>();
  const double elapsed = elapsed_s();
  nlohmann::json row = {{"label", label}, {"time_s", elapsed}};
  for (const auto& [c, n] : counters_) row[c] = n;
  for (const auto& [m, v] : metrics_) row[m] = v;
  jsonl_ << row.dump() << "\n" << std::flush;

  // A column that appears later (the first evaluation's return) rewrites the CSV with the wider
  // header; the JSONL holds every row to rewrite it from.
  bool grew = false;
  std::vector<std::string> keys = {"time_s"};
  for (const auto& [c, _] : counters_) keys.push_back(c);
  for (const auto& [m, _] : metrics_) keys.push_back(m);
  for (const auto& key : keys) {
    if (std::find(csv_columns_.begin(), csv_columns_.end(), key) != csv_columns_.end()) continue;
    csv_columns_.push_back(key);
    grew = true;
  }
  auto csv_line = [&](const nlohmann::json& r) {
    std::string line;
    for (const auto& c : csv_columns_) {
      std::string cell;
      if (r.contains(c)) cell = r[c].is_number_integer() ? std::to_string(r[c].get<int64_t>()) : fmt::format("{:.6g}", r[c].get<double>());
      line += (line.empty() ? "" : ",") + cell;
    }
    return line + "\n";
  };
  if (grew) {
    std::string text;
    for (const auto& c : csv_columns_) text += (text.empty() ? "" : ",") + csv_field(c);
    text += "\n";
    std::ifstream in(metrics_file("jsonl"));
    for (std::string l; std::getline(in, l);) text += csv_line(nlohmann::json::parse(l));
    csv_.close();
    write_file_atomic(metrics_file("csv"), text);
    csv_.open(metrics_file("csv"), std::ios::app);
  } else {
    csv_ << csv_line(row) << std::flush;
  }

  // The ETA is that of the top-level repeat this log runs in (the main loop, not the prefill).
  std::string main_counter;
  int64_t main_total = 0;
  if (const auto& top = rt_.graph().program[static_cast<size_t>(pos_.front()[0])]; top.contains("repeat")) {
    main_counter = top.value("counter", std::string(kRepeatCounter));
    main_total = top["repeat"].get<int64_t>();
  }
  const std::string rate_counter = stmt.value("rate", main_counter);
  auto count = [&](const std::string& c) {
    auto it = counters_.find(c);
    return it == counters_.end() ? int64_t{0} : it->second;
  };
  if (events_) {
    // TensorBoard's x axis: the counter whose rate the progress line shows.
    std::vector<std::pair<std::string, double>> values;
    for (const auto& [m, v] : metrics_) values.emplace_back(label + "/" + m, v);
    const double wall = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    events_->write_scalars(count(rate_counter), wall, values);
  }
  if (on_log) on_log(row);
  std::string text = rt_.graph().name + " " + label;
  for (const auto& [c, n] : counters_) {
    text += c == main_counter && main_total ? fmt::format(" | {} {}/{}", c, n, main_total) : fmt::format(" | {} {}", c, n);
  }
  for (const auto& [m, v] : metrics_) text += fmt::format(" | {} {:.4g}", m, v);
  const double here = now_s() - start_s_;
  auto since_start = [&](const std::string& c) {
    auto it = counters_at_start_.find(c);
    return count(c) - (it == counters_at_start_.end() ? 0 : it->second);
  };
  if (!rate_counter.empty() && here > 0 && since_start(rate_counter) > 0)
    text += fmt::format(" | {:.1f} {}/s", static_cast<double>(since_start(rate_counter)) / here, rate_counter);
  const int64_t done = main_counter.empty() ? 0 : since_start(main_counter);
  if (done > 0 && here > 0 && main_total > count(main_counter)) {
    text += " | ETA " + hms(static_cast<double>(main_total - count(main_counter)) * here / static_cast<double>(done));
  }
  fmt::print("{}\n", text);
  std::fflush(stdout);
}

}  // namespace lf
