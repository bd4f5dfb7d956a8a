// nn.flatten: merges the dims start..end (both included) of x into one, as torch.flatten does:
// [B, T, D] -> [B*T, D] with the defaults, so that Dreamer imagines ahead from every posterior
// state of a [B, T] batch at once.
//
// Named Inputs:
//   x  any dtype [*, *, ...]
// Named Outputs:
//   y  x's dtype [*, ...]   the same elements in the same order (a view when x's layout allows);
//                           gradients flow to x
// Parameters:
//   start  int, default 0   first dim merged; negative counts from the end
//   end    int, default 1   last dim merged (included); negative counts from the end
// Errors at run time, naming the param, its value and x's shape, when start or end is not a dim of
// x or end comes before start.
//
// Shapes: the declared ports are exact for the defaults (the two leading dims merged). How many
// dims other values merge is not expressible in a schema pattern, so for them the load-time check
// sees the wrong rank; [B, T, ...] -> [B*T, ...] is the use this node is for.
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
