// Drives one node type through the engine's registry, as a graph would: params are validated and
// defaulted against the schema, outputs are checked against the schema's dtypes and shapes.
//
//   lf::testing::TestNode lin("nn.linear", {{"in", 3}, {"out", 2}});
//   auto out = lin.run({{"x", torch::randn({4, 3})}});
//   EXPECT_EQ(out.at("y").sizes(), (std::vector<int64_t>{4, 2}));
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include "latentflow/node.h"

namespace lf {
class NodeRegistry;
}

namespace lf::testing {

// Every plugin in the build's plugin folder, loaded once per test process.
const NodeRegistry& plugins();

// A flow for a node under test (a planner's model): a function with named inputs and outputs.
class FunctionFlow final : public FlowHandle {
 public:
  using Fn = std::function<std::vector<at::Tensor>(const std::vector<at::Tensor>&)>;
  FunctionFlow(std::vector<std::string> inputs, std::vector<std::string> outputs, Fn fn)
      : in_(std::move(inputs)), out_(std::move(outputs)), fn_(std::move(fn)) {}
  const std::vector<std::string>& input_names() const override { return in_; }
  const std::vector<std::string>& output_names() const override { return out_; }
  std::vector<at::Tensor> call(const std::vector<at::Tensor>& inputs) override {
    ++calls;
    return fn_(inputs);
  }
  int calls = 0;

 private:
  std::vector<std::string> in_, out_;
  Fn fn_;
};

// What a node under test may refer to: other blocks' weights and nodes, and flows, by name.
struct TestRefs {
  std::map<std::string, torch::nn::Module*> modules;
  std::map<std::string, Node*> nodes;
  std::map<std::string, std::shared_ptr<FlowHandle>> flows;
  uint64_t seed = 1;
};

class TestNode {
 public:
  // `blocks` names the weights of other blocks, for nodes (optimizers) that act on them.
  // Throws std::invalid_argument listing every problem when the params do not validate.
  TestNode(const std::string& type, nlohmann::json params = nlohmann::json::object(),
           std::map<std::string, torch::nn::Module*> blocks = {}, uint64_t seed = 1);
  TestNode(const std::string& type, nlohmann::json params, TestRefs refs);
  ~TestNode();

  // Runs the node once. Unconnected optional inputs are simply left out of `inputs`.
  // Fails the current test (ADD_FAILURE) when an output is missing or its rank or
  // param-determined dims disagree with the schema.
  std::map<std::string, at::Tensor> run(const std::map<std::string, at::Tensor>& inputs);

  const NodeSchema& schema() const { return *schema_; }
  Node& node() { return *node_; }
  torch::nn::Module* module() { return node_->module(); }
  // Converts the node's weights (if any) to float64 for finite-difference checks.
  void to_double();

 private:
  const NodeSchema* schema_;
  nlohmann::json params_;
  std::unique_ptr<Node> node_;
};

// The message of the exception f throws, or "(no exception)".
std::string error_of(const std::function<void()>& f);

// Largest absolute difference between the autograd gradient and central finite differences of
// sum(f(inputs) * r), r a fixed random tensor, with respect to every input that requires grad.
// Use float64 inputs (and TestNode::to_double()) so that eps = 1e-6 is meaningful.
double gradient_error(const std::function<at::Tensor(const std::vector<at::Tensor>&)>& f,
                      std::vector<at::Tensor> inputs, double eps = 1e-6);

}  // namespace lf::testing
