// A validated graph brought to life: blocks built once (one set of weights however many flows call
// them), per-call-site nodes for inline nodes, flow calls and scans, and the plans the program runs.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <tbb/task_arena.h>

#include "graph.h"
#include "latentflow/node.h"
#include "trace.h"

namespace lf {

class FlowPlan;
class FlowHandleImpl;

struct RuntimeOptions {
  uint64_t seed = 0;
  int inter_op = 1;      // nodes of a flow run concurrently when > 1
  bool trace = false;
};

class Runtime {
 public:
  Runtime(const Graph& graph, RuntimeOptions options);
  ~Runtime();

  const Graph& graph() const { return graph_; }
  const RuntimeOptions& options() const { return options_; }
  Trace* trace() { return options_.trace ? &trace_ : nullptr; }
  // Where the nodes of a flow run concurrently: an arena of inter_op workers (nullptr when 1).
  tbb::task_arena* arena() { return arena_.get(); }
  const Trace& trace_data() const { return trace_; }

  // The plan of a flow called by the program (compiled on first use, then reused).
  FlowPlan& plan(const std::string& flow);
  // The node of a block.
  Node& block(const std::string& name) { return *blocks_.at(name); }
  // The node a flow node calls: a block's (shared) or one built for this call site.
  Node* node_for(const FlowNode& n, const Flow& flow, std::vector<std::unique_ptr<Node>>& owned);
  // Weights of every block that learns, by block name.
  std::map<std::string, torch::nn::Module*> modules() const;
  uint64_t seed_for(const std::string& name) const;
  // Stateful nodes built for a call site rather than as blocks (a flow's inline noise node), by
  // "flow/node#k", k counting instances in the order plans were compiled. Checkpoints save them;
  // a resumed run must compile the same plans first (ProgramRunner compiles all it calls).
  const std::vector<std::pair<std::string, Node*>>& call_site_state() const { return call_site_state_; }
  // Keeps a flow handle given to a node; compiles it now, or once every block is built.
  void adopt(std::shared_ptr<FlowHandleImpl> handle);

 private:
  // Throws BuildError at `pointer` (or its param's) when the factory refuses the params.
  std::unique_ptr<Node> build(const NodeFactory& f, const nlohmann::json& params, const std::string& name,
                              const std::string& pointer);

  const Graph& graph_;
  RuntimeOptions options_;
  Trace trace_;
  std::unique_ptr<tbb::task_arena> arena_;
  std::map<std::string, std::unique_ptr<Node>> blocks_;
  std::map<std::string, std::unique_ptr<FlowPlan>> plans_;
  std::vector<std::shared_ptr<FlowHandleImpl>> handles_;
  bool blocks_built_ = false;
  std::vector<std::pair<std::string, Node*>> call_site_state_;
};

}  // namespace lf
