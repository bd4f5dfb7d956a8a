// Loading the repository's graph files and running their programs in a temporary run directory.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "program.h"
#include "runtime.h"
#include "workspace.h"

namespace lf::testing {

inline const Workspace& workspace() {
  static const auto* w = new Workspace({LATENTFLOW_TEST_PLUGIN_DIR});
  return *w;
}

inline std::unique_ptr<Graph> load_repo_graph(const std::string& file, const std::vector<std::string>& sets = {}) {
  Diagnostics d;
  auto g = workspace().load_graph(std::string(LATENTFLOW_SOURCE_DIR) + "/" + file, sets, d);
  EXPECT_TRUE(d.empty()) << d.format(file);
  return g;
}

inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("lf_graph_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

inline std::vector<nlohmann::json> read_rows(const std::filesystem::path& path) {
  std::vector<nlohmann::json> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

}  // namespace lf::testing
