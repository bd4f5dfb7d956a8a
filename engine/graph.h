// The in-memory form of a graph file: blocks, flows of node calls wired port to port, and the
// program. Parsing (graph_parse.cc) fills the declared parts; validation (validate.cc) fills the
// resolved parts (schemas, params, execution order) and reports every error with its JSON pointer.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diagnostics.h"
#include "latentflow/schema.h"

namespace lf {

struct NodeType;

// Where an input comes from: "$name" (an input of the enclosing flow) or "node.port".
struct Source {
  bool flow_input = false;
  std::string node;  // empty for a flow input
  std::string port;
  std::string text() const { return flow_input ? "$" + port : node + "." + port; }
};

struct Wire {
  std::string port;  // the receiving port (or, for a flow's outputs, the output's name)
  Source src;
  std::string pointer;
};

struct FlowNode {
  enum class Kind { Block, Inline, Flow, Scan };
  std::string name, pointer;
  Kind kind = Kind::Inline;
  std::string target;  // block name | node type | flow name (also the step flow of a scan)
  nlohmann::json raw;  // the node's JSON object (an inline node's params live in it)
  std::vector<Wire> inputs;
  std::vector<std::string> after;  // control edges: run only after these nodes
  // Scan only: the step flow's inputs that are sliced along time (axis 1), and carried state
  // (step input <- the step output that feeds it at the next step).
  std::vector<std::string> over;
  std::vector<std::pair<std::string, std::string>> carry;
  bool reverse = false;

  // Resolved by validation.
  const NodeSchema* schema = nullptr;
  const NodeType* type = nullptr;        // Inline
  nlohmann::json params;                 // Inline: complete params
  std::shared_ptr<NodeSchema> own_schema;  // Scan: the schema synthesized from the step flow
};

struct FlowInput {
  std::string name;
  DType dtype = DType::Float32;
  std::vector<std::string> shape;
  bool optional = false;
};

struct Flow {
  std::string name, pointer;
  std::vector<FlowInput> inputs;
  std::vector<FlowNode> nodes;
  std::vector<Wire> outputs;

  // Resolved by validation.
  std::vector<size_t> order;  // nodes in an order that respects data and control edges
  NodeSchema schema;          // the flow seen as a node: its inputs and outputs
  bool checked = false;
  int node_index(const std::string& n) const {
    for (size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].name == n) return static_cast<int>(i);
    return -1;
  }
  // Positions of a flow input and output port by name; -1 when there is none.
  int input_index(const std::string& n) const {
    for (size_t i = 0; i < inputs.size(); ++i)
      if (inputs[i].name == n) return static_cast<int>(i);
    return -1;
  }
  int output_index(const std::string& n) const {
    for (size_t i = 0; i < outputs.size(); ++i)
      if (outputs[i].port == n) return static_cast<int>(i);
    return -1;
  }
};

struct Block {
  std::string name, pointer, type;
  nlohmann::json raw;
  // Resolved by validation.
  const NodeType* node_type = nullptr;
  nlohmann::json params;
};

// The counters a program statement counts when it names none: a repeat's iterations and a
// rollout's finished episodes.
inline constexpr const char* kRepeatCounter = "iterations";
inline constexpr const char* kEpisodesCounter = "episodes";

struct Graph {
  std::string file;  // for messages
  std::string name;
  nlohmann::json json;  // the whole document as expanded (compose.h): what runs
  // Each environment block's spec, read at load time (compose.h).
  std::map<std::string, nlohmann::json> env_specs;
  std::vector<std::string> presets;  // the presets the graph's file declares (--preset)
  // Points a diagnostic about the expansion at where the user wrote the value (a file, a --set);
  // for errors found after loading (a node refusing its params when built).
  std::function<void(Diagnostic&)> explain = [](Diagnostic&) {};
  std::map<std::string, Block> blocks;
  std::map<std::string, Flow> flows;
  nlohmann::json program = nlohmann::json::array();
};

}  // namespace lf
