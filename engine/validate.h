// Checks a parsed graph against the registry before anything runs, reporting every error at once:
// unknown node types (with the plugin that should provide them), ports, params, dangling edges,
// dtype and shape mismatches, cycles outside a scan, calls of undefined flows, program statements.
#pragma once

#include "diagnostics.h"
#include "graph.h"
#include "node_registry.h"
#include "plugin_loader.h"

namespace lf {

// Fills the resolved parts of `graph` (schemas, params, orders). `plugins` explains missing types.
void validate_graph(Graph& graph, const NodeRegistry& registry, const PluginLoader& plugins, Diagnostics& diags);

}  // namespace lf
