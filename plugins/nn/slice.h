// nn.slice: x narrowed along one dim to the indices [start, stop), Python's x[:, start:stop] for
// dim 1: the one-step time shift of a sequence model (inputs z[:, :-1], targets z[:, 1:]), the
// value of every imagined state but the last ([:, :-1]), the context frames of an open-loop
// prediction ([:, :5]).
//
//   y = x.narrow(dim, a, b - a),  n = x.size(dim),  a = start < 0 ? n + start : start,
//                                                   b = stop <= 0 ? n + stop : stop
//
// Named Inputs:
//   x  any dtype [...]
// Named Outputs:
//   y  x's dtype [?]         a view of x (gradients flow to x); size b - a along dim
// Parameters:
//   dim    int, default 1   the dim to narrow (1: time in [B, T, ...]); negative counts from the end
//   start  int, default 0   first index kept; negative counts from the end
//   stop   int, default 0   one past the last index kept; stop <= 0 counts from the end, so that
//                           -1 drops the last index and 0 (the default) keeps through the end
// Errors at run time, naming the param, its value and x's shape, when dim is not a dim of x, start
// lies outside [-n, n) or stop outside [-n, n], or the range is empty.
//
// Shapes: which dim shrinks is a param, which a schema pattern cannot say, so y's shape is
// undeclared ("?"): the load-time check does not follow it; the node checks its range at run time.
//
// Usage in a graph file (World Models' MDN-RNN inputs and targets):
//   "z_in":  {"type": "nn.slice", "stop": -1, "inputs": {"x": "vae.z"}}
//   "z_out": {"type": "nn.slice", "start": 1, "inputs": {"x": "vae.z"}}
//
// Faithfulness: Python's slice semantics, as the World Models and Dreamer reference code use them,
// except at the edges: stop 0, an empty slice in Python, means "through the end" here (a slice that
// must reach the end cannot name its size when T is not fixed), and an out-of-range bound or an
// empty range, which Python clamps or returns silently, is an error (a graph bug).
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema SliceSchema();
std::unique_ptr<lf::Node> MakeSlice(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
