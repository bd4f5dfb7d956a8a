#include "workspace.h"

#include "allocator.h"
#include "graph_parse.h"
#include "validate.h"

namespace lf {

Workspace::Workspace(const std::vector<std::string>& plugin_path) {
  configure_allocator();
  loader_.load_folders(PluginLoader::search_path(plugin_path));
}

std::unique_ptr<Graph> Workspace::load_graph(const GraphSource& src, Diagnostics& diags) const {
  return finish(expand_graph(src, registry_, diags), src.path, diags);
}

std::unique_ptr<Graph> Workspace::load_graph_json(nlohmann::json doc, const std::string& name,
                                                  Diagnostics& diags) const {
  return finish(expand_graph(std::move(doc), {name, {}, {}}, registry_, diags), name, diags);
}

std::unique_ptr<Graph> Workspace::finish(ExpandedGraph x, const std::string& name, Diagnostics& diags) const {
  const size_t expansion_errors = diags.size();
  auto g = std::make_unique<Graph>(parse_graph(std::move(x.doc), name, diags));
  g->env_specs = std::move(x.env_specs);
  g->presets = std::move(x.presets);
  validate_graph(*g, registry_, loader_, diags);
  // Validation points into the expansion; say where the user wrote each value.
  for (size_t i = expansion_errors; i < diags.size(); ++i) x.explain(diags.items()[i]);
  auto sources = std::make_shared<const ExpandedGraph>(std::move(x));
  g->explain = [sources](Diagnostic& d) { sources->explain(d); };
  return g;
}

}  // namespace lf
