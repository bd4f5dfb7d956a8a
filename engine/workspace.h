// The registry with its plugins loaded, and graph loading on top of it: read, expand (extends,
// presets, --set, vars), parse, validate. Shared by every CLI command and by the tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compose.h"
#include "diagnostics.h"
#include "graph.h"
#include "node_registry.h"
#include "plugin_loader.h"

namespace lf {

class Workspace {
 public:
  // Loads the plugins of the default search path plus `plugin_path`. Throws InputError when two
  // plugins register the same node type.
  explicit Workspace(const std::vector<std::string>& plugin_path);

  const NodeRegistry& registry() const { return registry_; }
  const PluginLoader& plugins() const { return loader_; }

  // Reads, expands, parses and validates. An unreadable or malformed file and a bad --set path
  // throw InputError; every other problem is added to `diags`, each pointing into the file (or
  // naming the override) that wrote the value (the graph is unusable unless diags is empty).
  std::unique_ptr<Graph> load_graph(const GraphSource& src, Diagnostics& diags) const;
  std::unique_ptr<Graph> load_graph(const std::string& path, const std::vector<std::string>& sets,
                                    Diagnostics& diags) const {
    return load_graph(GraphSource{path, {}, sets}, diags);
  }
  // A document in memory, named `name` in messages.
  std::unique_ptr<Graph> load_graph_json(nlohmann::json doc, const std::string& name, Diagnostics& diags) const;

 private:
  std::unique_ptr<Graph> finish(ExpandedGraph x, const std::string& name, Diagnostics& diags) const;

  NodeRegistry registry_;
  PluginLoader loader_{registry_};
};

}  // namespace lf
