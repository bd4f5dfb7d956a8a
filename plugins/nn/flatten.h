// nn.flatten: merges the dims start..end (both included) of x into one, as torch.flatten does:
// [B, T, D] -> [B*T, D] with the defaults, so that Dreamer imagines ahead from every posterior
// state of a [B, T] batch at once.
//
// Named Inputs:
//   x  any dtype [...]
// Named Outputs:
//   y  x's dtype [?]        the same elements in the same order (a view when x's layout allows);
//                           gradients flow to x
// Parameters:
//   start  int, default 0   first dim merged; negative counts from the end
//   end    int, default 1   last dim merged (included); negative counts from the end
// Errors at run time, naming the param, its value and x's shape, when start or end is not a dim of
// x or end comes before start.
//
// Shapes: how many dims merge is a param, which a schema pattern cannot say, so y's shape is
// undeclared ("?"): the load-time check does not follow it; the node checks its dims at run time.
//
// Usage in a graph file (Dreamer's start states for imagination):
//   "start_h": {"type": "nn.flatten", "inputs": {"x": "observe.h"}}
//
// Faithfulness: danijar/dreamer _imagine_ahead reshapes each posterior tensor to
// [-1] + shape[2:], which is flatten over dims 0 and 1 (row-major: batch-major order); torch's
// flatten semantics otherwise, start == end included (no change).
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema FlattenSchema();
std::unique_ptr<lf::Node> MakeFlatten(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
