// Node schema: the data that describes a node type. It drives validation, `engine nodes`,
// `engine describe`, the generated docs and the viewer, so it is plain data with no behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace lf {

enum class DType { Any, Float32, Float64, Int64, UInt8, Bool };

inline const char* to_string(DType d) {
  switch (d) {
    case DType::Any: return "any";
    case DType::Float32: return "f32";
    case DType::Float64: return "f64";
    case DType::Int64: return "i64";
    case DType::UInt8: return "u8";
    case DType::Bool: return "bool";
  }
  return "?";
}

// A port's shape is a list of symbolic dims. Each dim is one of:
//   "16"          a literal size
//   "deter"       the value of the node's int param of that name
//   "deter+stoch" a sum of params, literals and symbols that inputs have sized ("D+S")
//   "B", "T", ... a free symbol, unified across the edges of a flow at load time
//   "*"           any single dim;  "..." any number of dims (at most once)
// A shape of just {"?"} is not declared: the node's params decide it at run time in a way a pattern
// cannot say (which dim a slice narrows). The load-time check accepts any value there, and an output
// declared so is unknown to the nodes downstream; the node checks at run time instead.
struct Port {
  std::string name;
  DType dtype = DType::Float32;
  std::vector<std::string> shape;
  std::string doc;
  bool optional = false;  // inputs only: may be left unconnected
};

// Block: the name of another block (built first; BuildContext::node_of). Flow: the name of a flow
// a node calls (a planner's model; BuildContext::flow). A Flow param whose default is "" is
// optional: "" means none.
enum class ParamType { Int, Float, Bool, String, IntList, FloatList, BlockList, Block, Flow };

inline const char* to_string(ParamType t) {
  switch (t) {
    case ParamType::Int: return "int";
    case ParamType::Float: return "float";
    case ParamType::Bool: return "bool";
    case ParamType::String: return "string";
    case ParamType::IntList: return "int list";
    case ParamType::FloatList: return "float list";
    case ParamType::BlockList: return "block list";
    case ParamType::Block: return "block";
    case ParamType::Flow: return "flow";
  }
  return "?";
}

struct Param {
  std::string name;
  ParamType type = ParamType::Float;
  nlohmann::json default_value;  // null: the param is required
  std::optional<double> min, max;  // inclusive bounds for numbers and for list elements
  std::vector<std::string> choices;  // strings only: the allowed values
  std::string doc;
};

struct NodeSchema {
  std::string name;  // "<plugin>.<node>", e.g. "rssm.gaussian_prior"
  int version = 1;
  std::string category;  // colour in the viewer
  std::string doc;       // one line
  std::vector<Port> inputs, outputs;
  std::vector<Param> params;
  bool learns = false;    // owns a torch::nn::Module
  bool stateful = false;  // keeps state a checkpoint must save (RNG, buffers, moments)

  int input_index(std::string_view n) const { return index_of(inputs, n); }
  int output_index(std::string_view n) const { return index_of(outputs, n); }
  const Param* param(std::string_view n) const {
    for (const auto& p : params)
      if (p.name == n) return &p;
    return nullptr;
  }

 private:
  static int index_of(const std::vector<Port>& ports, std::string_view n) {
    for (size_t i = 0; i < ports.size(); ++i)
      if (ports[i].name == n) return static_cast<int>(i);
    return -1;
  }
};

// Fluent construction, so a node's contract reads as one block in its .cc:
//   SchemaBuilder("nn.linear").category("nn").doc("y = x W^T + b")
//     .input("x", {"...", "in"}).output("y", {"...", "out"})
//     .param_int("in", {}, 1).param_int("out", {}, 1).learns().build();
class SchemaBuilder {
 public:
  explicit SchemaBuilder(std::string name) { s_.name = std::move(name); }
  SchemaBuilder& version(int v) { s_.version = v; return *this; }
  SchemaBuilder& category(std::string c) { s_.category = std::move(c); return *this; }
  SchemaBuilder& doc(std::string d) { s_.doc = std::move(d); return *this; }
  SchemaBuilder& learns() { s_.learns = true; return *this; }
  SchemaBuilder& stateful() { s_.stateful = true; return *this; }
  SchemaBuilder& input(std::string n, std::vector<std::string> shape, std::string doc = {},
                       DType t = DType::Float32) {
    s_.inputs.push_back({std::move(n), t, std::move(shape), std::move(doc), false});
    return *this;
  }
  SchemaBuilder& optional_input(std::string n, std::vector<std::string> shape, std::string doc = {},
                                DType t = DType::Float32) {
    s_.inputs.push_back({std::move(n), t, std::move(shape), std::move(doc), true});
    return *this;
  }
  SchemaBuilder& output(std::string n, std::vector<std::string> shape, std::string doc = {},
                        DType t = DType::Float32) {
    s_.outputs.push_back({std::move(n), t, std::move(shape), std::move(doc), false});
    return *this;
  }
  // A default of nullptr makes the param required.
  SchemaBuilder& param(std::string n, ParamType t, nlohmann::json def, std::string doc,
                       std::optional<double> min = {}, std::optional<double> max = {}) {
    s_.params.push_back({std::move(n), t, std::move(def), min, max, {}, std::move(doc)});
    return *this;
  }
  SchemaBuilder& choice(std::string n, std::vector<std::string> choices, std::string def,
                        std::string doc) {
    s_.params.push_back(
        {std::move(n), ParamType::String, std::move(def), {}, {}, std::move(choices), std::move(doc)});
    return *this;
  }
  // The "compute" param of nodes built of lf::Linear layers (latentflow/linear.h: lf::compute_of).
  SchemaBuilder& compute() {
    return choice("compute", {"float32", "bfloat16"}, "float32",
                  "dtype of the dense layers' matrix products: bfloat16 keeps float32 weights, inputs and outputs");
  }
  NodeSchema build() const { return s_; }

 private:
  NodeSchema s_;
};

}  // namespace lf
