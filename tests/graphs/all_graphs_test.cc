// Every graph file in graphs/ validates, alone and with each of its presets (the full-size ones are
// not run here), and the composed graphs expand to exactly the graphs they replaced.
#include "graph_runs.h"

namespace {

using lf::testing::load_repo_graph;

// The graph files a user runs: graphs/common/ holds the parts they extend.
std::vector<std::string> graph_files() {
  std::vector<std::string> files;
  const std::string root = std::string(LATENTFLOW_SOURCE_DIR) + "/graphs";
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    const auto rel = std::filesystem::relative(e.path(), LATENTFLOW_SOURCE_DIR).string();
    if (e.path().extension() == ".json" && rel.rfind("graphs/common/", 0) != 0) files.push_back(rel);
  }
  return files;
}

TEST(AllGraphs, EveryGraphFileValidatesWithEachPreset) {
  int graphs = 0, presets = 0;
  for (const auto& rel : graph_files()) {
    SCOPED_TRACE(rel);
    auto g = load_repo_graph(rel);
    ++graphs;
    for (const auto& p : g->presets) {
      SCOPED_TRACE("--preset " + p);
      load_repo_graph(lf::GraphSource{rel, {p}, {}});
      ++presets;
    }
  }
  EXPECT_GE(graphs, 7);
  EXPECT_GE(presets, 4 * 9);  // PlaNet, Dreamer, World Models and their children: 8 tasks and small
}

// A graph as it runs, with nothing that does not change behaviour (docs, the key order of files):
// blocks with their resolved params, flows with their ports, calls, params, wiring and control edges,
// and the program.
nlohmann::json behaviour(const lf::Graph& g) {
  auto strip_docs = [](nlohmann::json v, auto& self) -> nlohmann::json {
    if (v.is_object()) {
      v.erase("doc");
      for (auto& [k, x] : v.items()) x = self(x, self);
    } else if (v.is_array()) {
      for (auto& x : v) x = self(x, self);
    }
    return v;
  };
  nlohmann::json out = {{"name", g.name}, {"program", strip_docs(g.program, strip_docs)}};
  for (const auto& [name, b] : g.blocks) out["blocks"][name] = {{"type", b.type}, {"params", b.params}};
  for (const auto& [name, f] : g.flows) {
    nlohmann::json& jf = out["flows"][name];
    for (const auto& in : f.inputs) jf["inputs"][in.name] = {lf::to_string(in.dtype), in.shape, in.optional};
    for (const auto& n : f.nodes) {
      nlohmann::json& jn = jf["nodes"][n.name];
      jn = {{"kind", static_cast<int>(n.kind)}, {"target", n.target}, {"params", n.params}, {"after", n.after},
            {"over", n.over}, {"carry", n.carry}, {"reverse", n.reverse}};
      for (const auto& w : n.inputs) jn["inputs"][w.port] = w.src.text();
    }
    for (const auto& w : f.outputs) jf["outputs"][w.port] = w.src.text();
  }
  return out;
}

// Each graph that graphs/ held before composition (tests/graphs/golden/, with the renames of the
// graph vocabulary applied: action_size, conv encoder/decoder ports x -> y, PlaNet's model_loss,
// model_step and model_adam) and the file and presets that replace it.
struct Replaced {
  const char* golden;
  const char* file;
  std::vector<std::string> presets;
};

TEST(AllGraphs, ComposedGraphsExpandToTheGraphsTheyReplace) {
  const std::vector<Replaced> cases = {
      {"planet.json", "graphs/planet.json", {}},
      {"planet_small.json", "graphs/planet.json", {"small"}},
      {"planet_state.json", "graphs/planet_state.json", {}},
      {"planet_overshooting.json", "graphs/planet_overshooting.json", {}},
      {"planet_overshooting_small.json", "graphs/planet_overshooting.json", {"small"}},
      {"dreamer.json", "graphs/dreamer.json", {}},
      {"dreamer_small.json", "graphs/dreamer.json", {"small"}},
      {"dreamer_state.json", "graphs/dreamer_state.json", {}},
      {"world_models.json", "graphs/world_models.json", {}},
      {"world_models_small.json", "graphs/world_models.json", {"small"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.file) + " vs tests/graphs/golden/" + c.golden);
    const auto want = behaviour(*load_repo_graph(std::string("tests/graphs/golden/") + c.golden));
    const auto got = behaviour(*load_repo_graph(lf::GraphSource{c.file, c.presets, {}}));
    const auto diff = nlohmann::json::diff(want, got);
    EXPECT_TRUE(diff.empty()) << diff.dump(1).substr(0, 4000);
  }
}

}  // namespace
