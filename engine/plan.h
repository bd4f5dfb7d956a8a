// A flow compiled once into an execution plan: node calls in order, every input a pointer into one
// slot array, so a call resolves nothing by name. Independent nodes run concurrently on oneTBB when
// the runtime allows more than one inter-op worker.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <tbb/task_arena.h>

#include "graph.h"
#include "latentflow/node.h"

namespace lf {

class Runtime;
struct TraceEntry;

// The value of an input that is not connected: an undefined tensor (CallContext::has is false).
const at::Tensor& unconnected();

class FlowPlan {
 public:
  FlowPlan(const Flow& flow, Runtime& runtime);
  FlowPlan(const FlowPlan&) = delete;
  FlowPlan& operator=(const FlowPlan&) = delete;

  size_t num_inputs() const { return num_inputs_; }
  size_t num_outputs() const { return out_slots_.size(); }
  const Flow& flow() const { return flow_; }

  // `inputs` has num_inputs() pointers (to undefined tensors for unconnected optional inputs);
  // `outputs` receives num_outputs() tensors. Throws std::runtime_error naming the failing node.
  void run(const at::Tensor* const* inputs, at::Tensor* outputs);

 private:
  struct Step {
    Node* node;
    const NodeSchema* schema;
    std::vector<const at::Tensor*> in;
    size_t out_base;
    TraceEntry* trace;
    const FlowNode* decl;
  };
  void run_step(Step& s);

  const Flow& flow_;
  size_t num_inputs_;
  std::vector<at::Tensor> slots_;  // flow inputs, then every node's outputs
  std::vector<Step> steps_;
  std::vector<std::vector<size_t>> waves_;  // steps whose dependencies all lie in earlier waves
  tbb::task_arena* arena_ = nullptr;  // set when some wave has independent nodes to run at once
  std::vector<size_t> out_slots_;
  std::vector<std::unique_ptr<Node>> owned_;  // this plan's inline, flow-call and scan nodes
};

}  // namespace lf
