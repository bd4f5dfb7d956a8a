// What the viewer shows of a graph: every block and node call as a card (name, type@version, ports
// with dtype and shape, non-default params), flows and scans as clusters, control edges dashed,
// blocks linked to the calls that share their weights, validation errors on the offending node or
// edge. One enumeration serves both outputs: Graphviz DOT (laid out by Graphviz, never by hand)
// and the JSON the HTML page reads (tools/viewer/viewer.html).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "diagnostics.h"
#include "graph.h"

namespace lf {

class NodeRegistry;

// DOT with an id on every element the page addresses: "n:FLOW/NODE" for a node call,
// "b:BLOCK" for a block, "c:FLOW" for a flow's cluster. `diags` are drawn in red where they point.
std::string graph_dot(const Graph& graph, const Diagnostics& diags);

// The page's data (see tools/viewer/viewer.html): nodes with their schemas and params, flows,
// blocks with the calls that use them, errors. The caller adds "svg", "trace" and "metrics".
nlohmann::json graph_view(const Graph& graph, const Diagnostics& diags);

}  // namespace lf
