// What the benchmarks that compare the engine with hand-written LibTorch share: process setup,
// the median, and lookups into the engine's blocks and plans (exiting with a message on a miss).
#pragma once


#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/nn/module.h>

#include "blas_check.h"
#include "plan.h"
#include "workspace.h"

namespace lf::bench {

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Walks argv: `on(option, value)` takes one option (calling value() for its argument, which exits 2
// with a message when there is none) and returns false for an option it does not know; then the
// usage is printed and the program exits (0 for --help, else 2).
template <typename On>
void parse_options(int argc, char** argv, const char* usage, On on) {
  for (int i = 1; i < argc; ++i) {
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (!on(std::string_view(argv[i]), value)) {
      const bool help = !std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h");
      std::fprintf(help ? stdout : stderr, "usage: %s %s\n", argv[0], usage);
      std::exit(help ? 0 : 2);
    }
  }
}

// The options of an engine-vs-hand comparison: the graph (with presets and --set overrides, as
// `engine run` takes them), samples per side and threads. Exits 2 with the usage on a bad option
// (0 for --help).
struct CompareArgs {
  GraphSource graph;
  int samples = 15, threads = 1;
};

// `default_sets` come before the user's --set options (which therefore win).
inline CompareArgs parse_compare_args(int argc, char** argv, std::string default_graph,
                                      std::vector<std::string> default_sets = {}) {
  CompareArgs a;
  a.graph.path = std::move(default_graph);
  a.graph.sets = std::move(default_sets);
  parse_options(argc, argv, "[--graph PATH] [--preset NAME]... [--set KEY=VALUE]... [--samples N] [--threads N]",
                [&](std::string_view opt, auto value) {
                  if (opt == "--graph") a.graph.path = value();
                  else if (opt == "--preset") a.graph.presets.emplace_back(value());
                  else if (opt == "--set") a.graph.sets.emplace_back(value());
                  else if (opt == "--samples") a.samples = std::atoi(value());
                  else if (opt == "--threads") a.threads = std::atoi(value());
                  else return false;
                  return true;
                });
  if (a.samples < 1 || a.threads < 1) {
    std::fprintf(stderr, "--samples and --threads must be >= 1\n");
    std::exit(2);
  }
  return a;
}

// Sets the threads as `engine run --threads N` does (one inter-op worker), warns about a slow BLAS,
// and loads the graph; nullptr after printing its errors. The heap is set up by the Workspace, as in
// every `engine run` (engine/allocator.h).
inline std::unique_ptr<Graph> setup(const Workspace& ws, const CompareArgs& args) {
  at::set_num_threads(args.threads);
  if (auto w = blas_warning(); !w.empty()) std::fprintf(stderr, "warning: %s\n", w.c_str());
  Diagnostics diags;
  auto g = ws.load_graph(args.graph, diags);
  if (!diags.empty()) {
    std::fprintf(stderr, "%s", diags.format(args.graph.path).c_str());
    return nullptr;
  }
  return g;
}

inline at::Tensor param(torch::nn::Module* m, const std::string& block, const std::string& name) {
  auto params = m->named_parameters(/*recurse=*/true);
  const at::Tensor* t = params.find(name);
  if (!t) {
    std::fprintf(stderr, "block '%s' has no parameter '%s'; it has:", block.c_str(), name.c_str());
    for (const auto& kv : params) std::fprintf(stderr, " %s", kv.key().c_str());
    std::fprintf(stderr, "\n");
    std::exit(1);
  }
  return *t;
}

// A plan's ports are in the flow's declaration order (which the JSON reader may sort): look them
// up by name.
inline size_t in_index(const FlowPlan& plan, const std::string& name) {
  if (const int i = plan.flow().input_index(name); i >= 0) return static_cast<size_t>(i);
  std::fprintf(stderr, "flow '%s' has no input '%s'\n", plan.flow().name.c_str(), name.c_str());
  std::exit(1);
}

inline size_t out_index(const FlowPlan& plan, const std::string& name) {
  if (const int i = plan.flow().output_index(name); i >= 0) return static_cast<size_t>(i);
  std::fprintf(stderr, "flow '%s' has no output '%s'\n", plan.flow().name.c_str(), name.c_str());
  std::exit(1);
}

}  // namespace lf::bench
