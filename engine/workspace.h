// The registry with its plugins loaded, and graph loading on top of it: read, override, parse,
// validate. Shared by every CLI command and by the tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

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

  // Reads, overrides, parses and validates. Malformed JSON and bad overrides throw InputError;
  // every other problem is added to `diags` (the graph is unusable unless diags is empty).
  std::unique_ptr<Graph> load_graph(const std::string& path, const std::vector<std::string>& sets,
                                    Diagnostics& diags) const;
  std::unique_ptr<Graph> load_graph_json(nlohmann::json doc, const std::string& name, Diagnostics& diags) const;

 private:
  NodeRegistry registry_;
  PluginLoader loader_{registry_};
};

}  // namespace lf
