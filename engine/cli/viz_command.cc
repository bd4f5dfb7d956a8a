#include "viz_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "diagnostics.h"
#include "graph_view.h"
#include "json_file.h"
#include "svg_layout.h"
#include "workspace.h"

namespace lf {

extern const std::string_view kViewerHtml;  // tools/viewer/viewer.html, embedded at build time

namespace {

namespace fs = std::filesystem;

// metrics.csv -> {"columns": [...], "rows": [[...], ...]}; empty cells become null.
nlohmann::json read_metrics(const fs::path& csv) {
  std::ifstream in(csv);
  auto split = [](const std::string& s) {
    std::vector<std::string> cells;
    std::stringstream ss(s);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    if (!s.empty() && s.back() == ',') cells.emplace_back();
    return cells;
  };
  std::string line;
  if (!std::getline(in, line)) return nullptr;
  const std::vector<std::string> columns = split(line);
  nlohmann::json rows = nlohmann::json::array();
  while (std::getline(in, line)) {
    nlohmann::json row = nlohmann::json::array();
    for (const auto& c : split(line)) {
      try {
        row.push_back(c.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::stod(c)));
      } catch (const std::exception&) {
        row.push_back(nullptr);
      }
    }
    rows.push_back(row);
  }
  return {{"columns", columns}, {"rows", rows}};
}

// A trace file from `engine run --trace` -> {"flow/node": {calls, mean_ms, total_ms, share}}.
nlohmann::json read_trace(const std::string& path) {
  const nlohmann::json t = read_json_file(path);
  if (!t.contains("nodes") || !t["nodes"].is_array()) throw InputError(path + ": not a trace file (no \"nodes\" list)");
  double total = 0;
  for (const auto& n : t["nodes"]) total += n.value("total_ms", 0.0);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& n : t["nodes"]) {
    out[n.value("node", "")] = {{"calls", n.value("calls", 0)},
                                {"mean_ms", n.value("mean_ms", 0.0)},
                                {"total_ms", n.value("total_ms", 0.0)},
                                {"share", total > 0 ? n.value("total_ms", 0.0) / total : 0.0}};
  }
  return out;
}

std::string page(const nlohmann::json& data) {
  // Inside a <script>, "</script" or "<!--" in the data could end or confuse it: every "<" is
  // written as the JSON escape \u003c, which reads back as "<".
  std::string json;
  for (char c : data.dump()) json += c == '<' ? std::string("\\u003c") : std::string(1, c);
  std::string html(kViewerHtml);
  const std::string marker = "/*LATENTFLOW_DATA*/null";
  const auto at = html.find(marker);
  if (at == std::string::npos) throw std::runtime_error("the embedded viewer template has no data marker");
  return html.replace(at, marker.size(), json);
}

}  // namespace

int run_viz_command(const VizOptions& o) {
  fs::path graph_file = o.input, run_dir;
  if (fs::is_directory(o.input)) {
    run_dir = o.input;
    graph_file = run_dir / "graph.json";
    if (!fs::exists(graph_file)) throw InputError(o.input + ": not a run directory (no graph.json)");
  }
  Workspace ws(o.plugin_path);
  Diagnostics diags;  // an invalid graph still renders, with its errors where they point
  auto graph = ws.load_graph({graph_file.string(), o.presets, o.sets}, diags);

  std::string out = o.out.empty() ? graph->name + ".html" : o.out;
  const std::string ext = fs::path(out).extension().string();
  if (ext != ".html" && ext != ".svg" && ext != ".dot") {
    throw InputError("-o " + out + ": expected a .html, .svg or .dot file");
  }
  const std::string dot = graph_dot(*graph, diags);
  if (ext == ".dot") {
    write_file_atomic(out, dot);
  } else if (ext == ".svg") {
    write_file_atomic(out, dot_to_svg(dot));
  } else {
    nlohmann::json data = graph_view(*graph, diags);
    data["svg"] = dot_to_svg(dot);
    std::string trace = o.trace;
    if (trace.empty() && !run_dir.empty() && fs::exists(run_dir / "trace.json")) trace = (run_dir / "trace.json").string();
    if (!trace.empty()) data["trace"] = read_trace(trace);
    if (!run_dir.empty() && fs::exists(run_dir / "metrics.csv")) data["metrics"] = read_metrics(run_dir / "metrics.csv");
    write_file_atomic(out, page(data));
  }
  if (!diags.empty()) {
    std::cerr << diags.format(graph_file.string());
    fmt::print(stderr, "rendered with {} validation error{} shown on the graph\n", diags.size(), diags.size() == 1 ? "" : "s");
  }
  fmt::print("wrote {}\n", out);
  return 0;
}

}  // namespace lf
