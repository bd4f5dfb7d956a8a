// The node base class and the contexts a node is built and called in.
// Only ATen's Tensor header is included: plugins that need torch::nn include it themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "latentflow/params.h"
#include "latentflow/schema.h"

namespace torch::nn {
class Module;
}

// Default visibility so that the type stays one type across the engine and hidden-visibility plugins.
#define LATENTFLOW_API __attribute__((visibility("default")))

namespace lf {

// The inputs and outputs of one call. Ports are addressed by their index in the schema (fast,
// for hot nodes: declare an enum in schema order) or by name. An optional input that is not
// connected reads as an undefined tensor: test it with has().
class LATENTFLOW_API CallContext {
 public:
  CallContext(const NodeSchema& schema, const at::Tensor* const* inputs, at::Tensor* outputs)
      : schema_(&schema), in_(inputs), out_(outputs) {}

  const at::Tensor& in(size_t i) const { return *in_[i]; }
  bool has(size_t i) const { return in_[i]->defined(); }
  void set(size_t i, at::Tensor t) { out_[i] = std::move(t); }

  const at::Tensor& in(std::string_view name) const { return in(index(schema_->input_index(name), name)); }
  bool has(std::string_view name) const { return has(index(schema_->input_index(name), name)); }
  void set(std::string_view name, at::Tensor t) {
    set(index(schema_->output_index(name), name), std::move(t));
  }

 private:
  static size_t index(int i, std::string_view name) {
    if (i < 0) throw std::out_of_range("no port named '" + std::string(name) + "'");
    return static_cast<size_t>(i);
  }
  const NodeSchema* schema_;
  const at::Tensor* const* in_;
  at::Tensor* out_;
};

// "[2, 3]": a shape as error messages write it.
inline std::string shape_text(at::IntArrayRef shape) {
  std::string s = "[";
  for (size_t d = 0; d < shape.size(); ++d) s += (d ? ", " : "") + std::to_string(shape[d]);
  return s + "]";
}

// Named tensors: the state a node saves in a checkpoint besides its weights.
using TensorDict = std::map<std::string, at::Tensor>;

// The tensor a checkpoint holds under `key`, or an error naming the missing key.
inline const at::Tensor& state_at(const TensorDict& state, const std::string& key) {
  auto it = state.find(key);
  if (it == state.end()) throw std::invalid_argument("the checkpoint has no state '" + key + "' for this node");
  return it->second;
}

class LATENTFLOW_API Node {
 public:
  virtual ~Node() = default;
  // Reads the inputs and sets every output. Called with the caller's grad mode.
  virtual void run(CallContext& ctx) = 0;
  // The weights, for nodes whose schema says `learns`; owned by the node.
  virtual torch::nn::Module* module() { return nullptr; }
  // Facts known only once the node is built, for tools and users: an environment's observation
  // and action spec, for example. Null when there is nothing to say.
  virtual nlohmann::json spec() const { return nullptr; }
  // What a resumed run needs besides the weights to continue exactly where this one stopped
  // (optimizer moments, replay contents, generator states). Nodes whose schema says `stateful`
  // implement both; keys are the node's own. load_state gets what save_state wrote.
  virtual void save_state(TensorDict& /*out*/) const {}
  virtual void load_state(const TensorDict& /*in*/) {}
};

// A flow a node calls (a planner's model rollout). Inputs and outputs are in the flow's order
// (by name); an unconnected optional input is an undefined tensor. Runs in the caller's grad mode.
class LATENTFLOW_API FlowHandle {
 public:
  virtual ~FlowHandle() = default;
  virtual const std::vector<std::string>& input_names() const = 0;
  virtual const std::vector<std::string>& output_names() const = 0;
  virtual std::vector<at::Tensor> call(const std::vector<at::Tensor>& inputs) = 0;
};

// What a factory may ask of the engine while building a node.
class LATENTFLOW_API BuildContext {
 public:
  virtual ~BuildContext() = default;
  // The block's name in the graph (or "flow/node" for a node declared inline in a flow).
  virtual const std::string& name() const = 0;
  // A seed derived from the run's --seed and this name: the same graph and seed give the same run.
  virtual uint64_t seed() const = 0;
  // The weights of another block, for nodes (optimizers) that act on other blocks. The engine
  // builds referenced blocks first; returns nullptr for a block that has no weights.
  virtual torch::nn::Module* module_of(const std::string& block) const = 0;
  // The node of another block named by a `Block` param (a sampler's replay buffer); built first.
  virtual Node* node_of(const std::string& block) const = 0;
  // A flow named by a `Flow` param, compiled for this node on its first call. Lives as long as
  // the node. Throws std::invalid_argument for a name that is not a flow of the graph.
  virtual std::shared_ptr<FlowHandle> flow(const std::string& name) = 0;
};

using NodeFactory = std::function<std::unique_ptr<Node>(const Params&, BuildContext&)>;

}  // namespace lf
