// Graphviz export of a graph: blocks, flows as clusters, scans and flow calls as links between
// clusters, control edges dashed.
#pragma once

#include <string>

#include "graph.h"

namespace lf {

std::string to_dot(const Graph& graph);

}  // namespace lf
