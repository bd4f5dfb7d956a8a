// Every graph file in graphs/ loads and validates (the full-size ones are not run here).
#include "graph_runs.h"

namespace {

TEST(AllGraphs, EveryGraphFileValidates) {
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(LATENTFLOW_SOURCE_DIR) + "/graphs")) {
    if (e.path().extension() != ".json") continue;
    const auto rel = std::filesystem::relative(e.path(), LATENTFLOW_SOURCE_DIR).string();
    SCOPED_TRACE(rel);
    lf::testing::load_repo_graph(rel);
    ++n;
  }
  EXPECT_GE(n, 6);
}

}  // namespace
