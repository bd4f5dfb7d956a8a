#include "runtime.h"

#include <functional>
#include <set>
#include <stdexcept>

#include <ATen/Context.h>

#include "diagnostics.h"
#include "node_registry.h"
#include "plan.h"
#include "scan_node.h"

namespace lf {

// A flow a node calls by name (a planner's model): compiled for that node once every block exists.
class FlowHandleImpl final : public FlowHandle {
 public:
  FlowHandleImpl(const Flow& flow, Runtime& rt) : flow_(flow), rt_(rt) {
    for (const auto& in : flow.inputs) in_names_.push_back(in.name);
    for (const auto& out : flow.outputs) out_names_.push_back(out.port);
  }
  const std::vector<std::string>& input_names() const override { return in_names_; }
  const std::vector<std::string>& output_names() const override { return out_names_; }
  // Once every block exists (and before any checkpoint is loaded: the plan may build stateful
  // call-site nodes).
  void compile() {
    if (!plan_) plan_ = std::make_unique<FlowPlan>(flow_, rt_);
  }
  std::vector<at::Tensor> call(const std::vector<at::Tensor>& inputs) override {
    if (inputs.size() != in_names_.size())
      throw std::invalid_argument("flow '" + flow_.name + "' takes " + std::to_string(in_names_.size()) +
                                  " inputs, got " + std::to_string(inputs.size()));
    compile();
    std::vector<const at::Tensor*> in(inputs.size());
    for (size_t i = 0; i < in.size(); ++i) in[i] = &inputs[i];
    std::vector<at::Tensor> out(out_names_.size());
    plan_->run(in.data(), out.data());
    return out;
  }

 private:
  const Flow& flow_;
  Runtime& rt_;
  std::vector<std::string> in_names_, out_names_;
  std::unique_ptr<FlowPlan> plan_;
};

namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class BuildContextImpl final : public BuildContext {
 public:
  BuildContextImpl(Runtime& rt, const std::map<std::string, std::unique_ptr<Node>>& blocks, std::string name)
      : rt_(rt), blocks_(blocks), name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  uint64_t seed() const override { return rt_.seed_for(name_); }
  torch::nn::Module* module_of(const std::string& block) const override {
    auto it = blocks_.find(block);
    return it == blocks_.end() ? nullptr : it->second->module();
  }
  Node* node_of(const std::string& block) const override {
    auto it = blocks_.find(block);
    if (it == blocks_.end()) throw std::invalid_argument("no block named '" + block + "'");
    return it->second.get();
  }
  std::shared_ptr<FlowHandle> flow(const std::string& name) override {
    auto it = rt_.graph().flows.find(name);
    if (it == rt_.graph().flows.end()) throw std::invalid_argument("no flow named '" + name + "'");
    auto handle = std::make_shared<FlowHandleImpl>(it->second, rt_);
    rt_.adopt(handle);
    return handle;
  }

 private:
  Runtime& rt_;
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
  // Blocks named by another block's block or block-list param (an optimizer's, a sampler's) are
  // built first.
  std::set<std::string> visiting;
  std::function<void(const std::string&)> make = [&](const std::string& name) {
    if (blocks_.count(name)) return;
    if (!visiting.insert(name).second) throw std::runtime_error("blocks refer to each other in a cycle at '" + name + "'");
    const Block& b = graph_.blocks.at(name);
    for (const auto& p : b.node_type->schema.params) {
      if (p.type == ParamType::Block && b.params.at(p.name).is_string()) make(b.params.at(p.name).get<std::string>());
      if (p.type != ParamType::BlockList) continue;
      for (const auto& ref : b.params.at(p.name)) make(ref.get<std::string>());
    }
    blocks_[name] = build(b.node_type->factory, b.params, name, b.pointer);
  };
  for (const auto& [name, _] : graph_.blocks) make(name);
  blocks_built_ = true;
  for (auto& h : handles_) h->compile();
}

void Runtime::adopt(std::shared_ptr<FlowHandleImpl> handle) {
  if (blocks_built_) handle->compile();
  handles_.push_back(std::move(handle));
}

Runtime::~Runtime() = default;

std::unique_ptr<Node> Runtime::build(const NodeFactory& f, const nlohmann::json& params, const std::string& name,
                                     const std::string& pointer) {
  BuildContextImpl ctx(*this, blocks_, name);
  // Weight initialisation draws from torch's default generator: seeding it per node makes each
  // block's initial weights depend only on --seed and its name, not on how many blocks came before.
  at::manual_seed(seed_for(name));
  try {
    auto node = f(Params(params), ctx);
    if (!node) throw std::runtime_error("the factory returned no node");
    return node;
  } catch (const ParamError& e) {
    throw BuildError(pointer_join(pointer, e.param()), e.what());
  } catch (const std::invalid_argument& e) {
    throw BuildError(pointer, e.what());
  } catch (const BuildError&) {
    throw;  // a flow the node compiles holds the bad node
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
    case FlowNode::Kind::Inline: {
      const std::string name = flow.name + "/" + n.name;
      owned.push_back(build(n.type->factory, n.params, name, n.pointer));
      if (n.type->schema.stateful) {
        // The k-th instance of this call site (a flow compiled at several places has several).
        int k = 0;
        for (const auto& [key, _] : call_site_state_) k += key.rfind(name + "#", 0) == 0;
        call_site_state_.emplace_back(name + "#" + std::to_string(k), owned.back().get());
      }
      break;
    }
    case FlowNode::Kind::Flow:
      owned.push_back(std::make_unique<FlowCallNode>(graph_.flows.at(n.target), *this));
      break;
    case FlowNode::Kind::Scan: {
      const Flow& step = graph_.flows.at(n.target);
      std::vector<bool> read(step.outputs.size(), false);
      auto mark = [&](const Source& src) {
        if (src.flow_input || src.node != n.name) return;
        for (size_t o = 0; o < step.outputs.size(); ++o) read[o] = read[o] || step.outputs[o].port == src.port;
      };
      for (const auto& other : flow.nodes)
        for (const auto& w : other.inputs) mark(w.src);
      for (const auto& w : flow.outputs) mark(w.src);
      owned.push_back(std::make_unique<ScanNode>(n, step, *this, std::move(read)));
      break;
    }
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
