// From the JSON document to lf::Graph: the structure of the file (which keys, of which JSON types).
// What the structure refers to (node types, ports, params, flows) is checked by validate.h.
#pragma once

#include "diagnostics.h"
#include "graph.h"

namespace lf {

Graph parse_graph(nlohmann::json doc, const std::string& file, Diagnostics& diags);

// "f32" -> DType::Float32; false when the name is unknown.
bool parse_dtype(const std::string& name, DType& out);

}  // namespace lf
