// `engine viz`: a graph (or a run directory) as a self-contained HTML page, an SVG or DOT.
#pragma once

#include <string>
#include <vector>

namespace lf {

struct VizOptions {
  std::vector<std::string> plugin_path;
  std::string input;  // a graph file, or a run directory holding graph.json (and metrics.csv)
  std::vector<std::string> presets, sets;
  std::string out;    // .html (default), .svg or .dot
  std::string trace;  // from `engine run --trace`; a run directory's trace.json is used if present
};

// Returns the exit code; throws InputError for unreadable input.
int run_viz_command(const VizOptions& o);

}  // namespace lf
