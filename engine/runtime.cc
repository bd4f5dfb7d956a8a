#include "runtime.h"

#include <functional>
#include <set>
#include <stdexcept>

#include <ATen/Context.h>

#include "node_registry.h"
#include "plan.h"
#include "scan_node.h"

namespace lf {

namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class BuildContextImpl final : public BuildContext {
 public:
  BuildContextImpl(const Runtime& rt, const std::map<std::string, std::unique_ptr<Node>>& blocks, std::string name)
      : rt_(rt), blocks_(blocks), name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  uint64_t seed() const override { return rt_.seed_for(name_); }
  torch::nn::Module* module_of(const std::string& block) const override {
    auto it = blocks_.find(block);
    return it == blocks_.end() ? nullptr : it->second->module();
  }

 private:
  const Runtime& rt_;
  const std::map<std::string, std::unique_ptr<Node>>& blocks_;
  std::string name_;
};

// A flow called like a node: its plan is compiled once, at this call site.
class FlowCallNode final : public Node {
 public:
  FlowCallNode(const Flow& flow, Runtime& rt) : plan_(flow, rt), out_(plan_.num_outputs()) {}
  void run(CallContext& ctx) override {
    in_.resize(plan_.num_inputs());
    for (size_t i = 0; i < in_.size(); ++i) in_[i] = &ctx.in(i);
    plan_.run(in_.data(), out_.data());
    for (size_t i = 0; i < out_.size(); ++i) ctx.set(i, std::move(out_[i]));
  }

 private:
  FlowPlan plan_;
  std::vector<const at::Tensor*> in_;
  std::vector<at::Tensor> out_;
};

}  // namespace

Runtime::Runtime(const Graph& graph, RuntimeOptions options) : graph_(graph), options_(options) {
  if (options_.inter_op > 1) arena_ = std::make_unique<tbb::task_arena>(options_.inter_op);
  // Blocks named by another block's block-list param (an optimizer's) are built first.
  std::set<std::string> visiting;
  std::function<void(const std::string&)> make = [&](const std::string& name) {
    if (blocks_.count(name)) return;
    if (!visiting.insert(name).second) throw std::runtime_error("blocks refer to each other in a cycle at '" + name + "'");
    const Block& b = graph_.blocks.at(name);
    for (const auto& p : b.node_type->schema.params) {
      if (p.type != ParamType::BlockList) continue;
      for (const auto& ref : b.params.at(p.name)) make(ref.get<std::string>());
    }
    blocks_[name] = build(b.node_type->factory, b.params, name);
  };
  for (const auto& [name, _] : graph_.blocks) make(name);
}

Runtime::~Runtime() = default;

std::unique_ptr<Node> Runtime::build(const NodeFactory& f, const nlohmann::json& params, const std::string& name) {
  BuildContextImpl ctx(*this, blocks_, name);
  // Weight initialisation draws from torch's default generator: seeding it per node makes each
  // block's initial weights depend only on --seed and its name, not on how many blocks came before.
  at::manual_seed(seed_for(name));
  try {
    auto node = f(Params(params), ctx);
    if (!node) throw std::runtime_error("the factory returned no node");
    return node;
  } catch (const std::exception& e) {
    throw std::runtime_error("building '" + name + "': " + e.what());
  }
}

uint64_t Runtime::seed_for(const std::string& name) const {
  uint64_t h = 1469598103934665603ull;  // FNV-1a of the name, mixed with the run's seed
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return splitmix64(h ^ splitmix64(options_.seed));
}

FlowPlan& Runtime::plan(const std::string& flow) {
  auto it = plans_.find(flow);
  if (it == plans_.end()) it = plans_.emplace(flow, std::make_unique<FlowPlan>(graph_.flows.at(flow), *this)).first;
  return *it->second;
}

Node* Runtime::node_for(const FlowNode& n, const Flow& flow, std::vector<std::unique_ptr<Node>>& owned) {
  switch (n.kind) {
    case FlowNode::Kind::Block:
      return blocks_.at(n.target).get();
    case FlowNode::Kind::Inline:
      owned.push_back(build(n.type->factory, n.params, flow.name + "/" + n.name));
      break;
    case FlowNode::Kind::Flow:
      owned.push_back(std::make_unique<FlowCallNode>(graph_.flows.at(n.target), *this));
      break;
    case FlowNode::Kind::Scan:
      owned.push_back(std::make_unique<ScanNode>(n, graph_.flows.at(n.target), *this));
      break;
  }
  return owned.back().get();
}

std::map<std::string, torch::nn::Module*> Runtime::modules() const {
  std::map<std::string, torch::nn::Module*> out;
  for (const auto& [name, node] : blocks_)
    if (auto* m = node->module()) out[name] = m;
  return out;
}

}  // namespace lf
