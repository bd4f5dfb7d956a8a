// Load-time dtype and symbolic shape checking of a flow's edges (see the shape language in
// latentflow/schema.h). Symbols are unified across the edges of one flow; a conflict between two
// known sizes, a rank mismatch or a dtype mismatch is reported at the receiving port.
#pragma once

#include "diagnostics.h"
#include "graph.h"

namespace lf {

// Checks every edge of `flow` (whose nodes have their schemas resolved and are in `order`), then
// fills flow.schema.outputs with the shapes that reach the flow's outputs.
void check_flow_shapes(Flow& flow, const std::map<std::string, Block>& blocks, Diagnostics& diags);

}  // namespace lf
