#include "workspace.h"

#include "graph_parse.h"
#include "json_file.h"
#include "validate.h"

namespace lf {

Workspace::Workspace(const std::vector<std::string>& plugin_path) {
  loader_.load_folders(PluginLoader::search_path(plugin_path));
}

std::unique_ptr<Graph> Workspace::load_graph(const std::string& path, const std::vector<std::string>& sets,
                                             Diagnostics& diags) const {
  nlohmann::json doc = read_json_file(path);
  apply_overrides(doc, sets);
  return load_graph_json(std::move(doc), path, diags);
}

std::unique_ptr<Graph> Workspace::load_graph_json(nlohmann::json doc, const std::string& name,
                                                  Diagnostics& diags) const {
  auto g = std::make_unique<Graph>(parse_graph(std::move(doc), name, diags));
  validate_graph(*g, registry_, loader_, diags);
  return g;
}

}  // namespace lf
