// nn.concat: a and b joined along one dim, as torch.cat({a, b}, dim): features side by side
// (the default, the last dim), or sequences one after the other along time (dim 1), as in an
// open-loop prediction video: the 5 reconstructed context frames [B, 5, ...] followed by the
// imagined ones [B, T - 5, ...].
//
// Named Inputs:
//   a  any dtype [...]
//   b  a's dtype [?]        the same rank and sizes as a except along dim
// Named Outputs:
//   y  a's dtype [?]        a then b along dim; gradients flow to both
// Parameters:
//   dim  int, default -1   the dim to join along; negative counts from the end
// Errors at run time, naming both shapes, when dim is not a dim of a, the ranks, dtypes or the
// other sizes differ.
//
// Shapes: which dim grows is a param, which a schema pattern cannot say, so b's and y's shapes are
// undeclared ("?"): the load-time check does not relate them; the node checks them at run time.
//
// Usage in a graph file (Dreamer's open-loop video: context frames, then the model's own):
//   "openl": {"type": "nn.concat", "dim": 1, "inputs": {"a": "context.y", "b": "imagined.image"}}
//
// Faithfulness: tf.concat / torch.cat of two tensors, as danijar/dreamer's _image_summaries joins
// recon[:, :5] and the open-loop frames along axis 1; no type promotion (the dtypes must match).
#pragma once

#include <memory>

#include "latentflow/sdk.h"

namespace lf_nn {

lf::NodeSchema ConcatSchema();
std::unique_ptr<lf::Node> MakeConcat(const lf::Params& p, lf::BuildContext& ctx);

}  // namespace lf_nn
