// The engine's scan: unrolls a step flow over axis 1 (time) of its sliced inputs, feeding carried
// state from one step's outputs to the next step's inputs, and stacks every step output that the
// enclosing flow reads along axis 1 (the others come out as empty tensors: stacking a planner's
// carried beliefs nobody reads would copy ~100 MB per plan). The step flow is compiled once; each
// step reuses its plan.
#pragma once

#include <vector>

#include "graph.h"
#include "latentflow/node.h"
#include "plan.h"

namespace lf {

class Runtime;

class ScanNode final : public Node {
 public:
  // `read[o]`: whether the enclosing flow reads step output o.
  ScanNode(const FlowNode& decl, const Flow& step, Runtime& rt, std::vector<bool> read);
  void run(CallContext& ctx) override;

 private:
  enum class Role { Constant, Sliced, Carried };
  FlowPlan body_;
  bool reverse_;
  std::vector<Role> role_;         // per step-flow input
  std::vector<size_t> carry_from_;  // per carried input: the step output that feeds it
  std::vector<bool> read_;
  std::vector<at::Tensor> step_in_, step_out_;
  std::vector<const at::Tensor*> step_ptrs_;
};

}  // namespace lf
