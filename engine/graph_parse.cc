#include "graph_parse.h"

#include "param_values.h"

namespace lf {

namespace {

bool expect(const nlohmann::json& v, nlohmann::json::value_t t, const char* what, const std::string& ptr,
            Diagnostics& d) {
  if (v.type() == t) return true;
  d.error(ptr, std::string("expected ") + what + ", got " + v.type_name());
  return false;
}

bool parse_source(const nlohmann::json& v, const std::string& ptr, Source& out, Diagnostics& d) {
  if (!v.is_string()) {
    d.error(ptr, std::string("expected a source \"node.port\" or \"$input\", got ") + v.type_name());
    return false;
  }
  const std::string s = v.get<std::string>();
  if (!s.empty() && s[0] == '$') {
    out = {true, "", s.substr(1)};
    return s.size() > 1 || (d.error(ptr, "expected \"$<flow input>\", got \"$\""), false);
  }
  const auto dot = s.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == s.size()) {
    d.error(ptr, "expected a source \"node.port\" or \"$input\", got \"" + s + "\"");
    return false;
  }
  out = {false, s.substr(0, dot), s.substr(dot + 1)};
  return true;
}

std::vector<Wire> parse_wires(const nlohmann::json& obj, const std::string& ptr, Diagnostics& d) {
  std::vector<Wire> wires;
  if (!expect(obj, nlohmann::json::value_t::object, "an object of port: source", ptr, d)) return wires;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    Wire w{it.key(), {}, pointer_join(ptr, it.key())};
    if (parse_source(it.value(), w.pointer, w.src, d)) wires.push_back(std::move(w));
  }
  return wires;
}

std::vector<std::string> parse_names(const nlohmann::json& v, const std::string& ptr, Diagnostics& d) {
  std::vector<std::string> out;
  if (!expect(v, nlohmann::json::value_t::array, "a list of names", ptr, d)) return out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].is_string()) out.push_back(v[i].get<std::string>());
    else d.error(ptr + "/" + std::to_string(i), std::string("expected a name, got ") + v[i].type_name());
  }
  return out;
}

FlowNode parse_node(const std::string& name, const nlohmann::json& v, const std::string& ptr, Diagnostics& d) {
  FlowNode n;
  n.name = name;
  n.pointer = ptr;
  n.raw = v;
  int kinds = 0;
  for (auto [key, kind] : {std::pair{"block", FlowNode::Kind::Block}, {"type", FlowNode::Kind::Inline},
                           {"flow", FlowNode::Kind::Flow}, {"scan", FlowNode::Kind::Scan}}) {
    if (!v.contains(key)) continue;
    ++kinds;
    n.kind = kind;
    if (v[key].is_string()) n.target = v[key].get<std::string>();
    else d.error(pointer_join(ptr, key), std::string("expected a name, got ") + v[key].type_name());
  }
  if (kinds != 1) {
    d.error(ptr, "a node calls exactly one of \"block\", \"type\" (inline node), \"flow\" or \"scan\"; found " +
                     std::to_string(kinds));
  }
  if (v.contains("inputs")) n.inputs = parse_wires(v["inputs"], pointer_join(ptr, "inputs"), d);
  if (v.contains("after")) n.after = parse_names(v["after"], pointer_join(ptr, "after"), d);
  if (n.kind != FlowNode::Kind::Inline) {
    const bool scan = n.kind == FlowNode::Kind::Scan;
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& k = it.key();
      const bool allowed = k == "block" || k == "flow" || k == "scan" || k == "inputs" || k == "after" ||
                           k == "doc" || (scan && (k == "over" || k == "carry" || k == "reverse"));
      if (!allowed) {
        d.error(pointer_join(ptr, k), "unknown key '" + k + "'" +
                                  (scan ? suggest(k, {"scan", "inputs", "after", "over", "carry", "reverse", "doc"})
                                        : " (params belong to the block, in /blocks; a " +
                                              std::string(n.kind == FlowNode::Kind::Block ? "block" : "flow") +
                                              " call takes inputs, after, doc)"));
      }
    }
  }
  if (n.kind == FlowNode::Kind::Scan) {
    if (v.contains("over")) n.over = parse_names(v["over"], pointer_join(ptr, "over"), d);
    else d.error(ptr, "a scan needs \"over\": the step-flow inputs sliced along time");
    if (v.contains("carry") &&
        expect(v["carry"], nlohmann::json::value_t::object, "an object of step input: step output",
               pointer_join(ptr, "carry"), d)) {
      for (auto it = v["carry"].begin(); it != v["carry"].end(); ++it) {
        if (it.value().is_string()) n.carry.emplace_back(it.key(), it.value().get<std::string>());
        else d.error(pointer_join(pointer_join(ptr, "carry"), it.key()), "expected the name of a step-flow output");
      }
    }
    if (v.contains("reverse")) {
      if (v["reverse"].is_boolean()) n.reverse = v["reverse"].get<bool>();
      else d.error(pointer_join(ptr, "reverse"), std::string("expected true or false, got ") + v["reverse"].type_name());
    }
  }
  return n;
}

Flow parse_flow(const std::string& name, const nlohmann::json& v, const std::string& ptr, Diagnostics& d) {
  Flow f;
  f.name = name;
  f.pointer = ptr;
  if (!expect(v, nlohmann::json::value_t::object, "a flow object", ptr, d)) return f;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.key() != "inputs" && it.key() != "nodes" && it.key() != "outputs" && it.key() != "doc") {
      d.error(pointer_join(ptr, it.key()), "unknown key '" + it.key() + "'" + suggest(it.key(), {"inputs", "nodes", "outputs", "doc"}));
    }
  }
  if (v.contains("inputs") &&
      expect(v["inputs"], nlohmann::json::value_t::object, "an object of input declarations",
             pointer_join(ptr, "inputs"), d)) {
    for (auto it = v["inputs"].begin(); it != v["inputs"].end(); ++it) {
      const std::string ip = pointer_join(pointer_join(ptr, "inputs"), it.key());
      FlowInput in{it.key()};
      const auto& decl = it.value();
      if (!expect(decl, nlohmann::json::value_t::object, "{\"dtype\": ..., \"shape\": [...]}", ip, d)) continue;
      if (decl.contains("dtype")) {
        if (!decl["dtype"].is_string() || !parse_dtype(decl["dtype"].get<std::string>(), in.dtype)) {
          d.error(pointer_join(ip, "dtype"), "expected one of f32, f64, i64, u8, bool, any; got " + decl["dtype"].dump());
        }
      }
      if (decl.contains("shape")) {
        const auto& shape = decl["shape"];
        if (expect(shape, nlohmann::json::value_t::array, "a list of dims", pointer_join(ip, "shape"), d)) {
          for (size_t k = 0; k < shape.size(); ++k) {
            if (shape[k].is_string()) in.shape.push_back(shape[k].get<std::string>());
            else if (shape[k].is_number_unsigned()) in.shape.push_back(std::to_string(shape[k].get<uint64_t>()));
            else d.error(pointer_join(ip, "shape") + "/" + std::to_string(k), "expected a size or a symbol, got " + shape[k].dump());
          }
        }
      } else {
        in.shape = {"..."};
      }
      if (decl.contains("optional") &&
          expect(decl["optional"], nlohmann::json::value_t::boolean, "true or false", pointer_join(ip, "optional"), d))
        in.optional = decl["optional"].get<bool>();
      f.inputs.push_back(std::move(in));
    }
  }
  if (v.contains("nodes") &&
      expect(v["nodes"], nlohmann::json::value_t::object, "an object of named nodes", pointer_join(ptr, "nodes"), d)) {
    for (auto it = v["nodes"].begin(); it != v["nodes"].end(); ++it) {
      const std::string np = pointer_join(pointer_join(ptr, "nodes"), it.key());
      if (!expect(it.value(), nlohmann::json::value_t::object, "a node object", np, d)) continue;
      if (it.key().find('.') != std::string::npos || it.key().empty() || it.key()[0] == '$') {
        d.error(np, "a node name may not be empty, start with '$' or contain '.'");
        continue;
      }
      f.nodes.push_back(parse_node(it.key(), it.value(), np, d));
    }
  }
  if (v.contains("outputs")) f.outputs = parse_wires(v["outputs"], pointer_join(ptr, "outputs"), d);
  return f;
}

}  // namespace

bool parse_dtype(const std::string& name, DType& out) {
  for (DType t : {DType::Any, DType::Float32, DType::Float64, DType::Int64, DType::UInt8, DType::Bool}) {
    if (name == to_string(t)) {
      out = t;
      return true;
    }
  }
  return false;
}

Graph parse_graph(nlohmann::json doc, const std::string& file, Diagnostics& d) {
  Graph g;
  g.file = file;
  if (!expect(doc, nlohmann::json::value_t::object, "a graph object", "", d)) return g;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    static const std::vector<std::string> keys = {"name", "doc", "blocks", "flows", "program", "format"};
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) {
      d.error(pointer_join("", it.key()), "unknown top-level key '" + it.key() + "'" + suggest(it.key(), keys));
    }
  }
  g.name = "graph";
  if (doc.contains("name")) {
    // The name names the default run directory (runs/<name>-<time>): one path component.
    const auto& n = doc["name"];
    const std::string name = n.is_string() ? n.get<std::string>() : "";
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
      d.error("/name", "expected a graph name without '/' (it names the run directory), got " + clip_text(n.dump(), 200));
    else
      g.name = name;
  }
  if (doc.contains("doc") && !doc["doc"].is_string()) d.error("/doc", std::string("expected text, got ") + doc["doc"].type_name());
  if (doc.contains("blocks") &&
      expect(doc["blocks"], nlohmann::json::value_t::object, "an object of named blocks", "/blocks", d)) {
    for (auto it = doc["blocks"].begin(); it != doc["blocks"].end(); ++it) {
      Block b{it.key(), pointer_join("/blocks", it.key()), "", it.value(), nullptr, {}};
      if (!expect(it.value(), nlohmann::json::value_t::object, "a block object", b.pointer, d)) continue;
      if (!it.value().contains("type") || !it.value()["type"].is_string()) {
        d.error(b.pointer, "a block needs \"type\": the node type it instantiates, e.g. \"nn.mlp\"");
        continue;
      }
      b.type = it.value()["type"].get<std::string>();
      for (auto k = it.value().begin(); k != it.value().end(); ++k) {
        if (is_reserved_key(k.key()) && k.key() != "type" && k.key() != "doc") {
          d.error(pointer_join(b.pointer, k.key()), "'" + k.key() + "' belongs to a node in a flow, not to a block");
        }
      }
      g.blocks.emplace(b.name, std::move(b));
    }
  }
  if (doc.contains("flows") &&
      expect(doc["flows"], nlohmann::json::value_t::object, "an object of named flows", "/flows", d)) {
    for (auto it = doc["flows"].begin(); it != doc["flows"].end(); ++it) {
      g.flows.emplace(it.key(), parse_flow(it.key(), it.value(), pointer_join("/flows", it.key()), d));
    }
  }
  if (doc.contains("program")) {
    if (expect(doc["program"], nlohmann::json::value_t::array, "a list of program statements", "/program", d)) {
      g.program = doc["program"];
    }
  }
  g.json = std::move(doc);
  return g;
}

}  // namespace lf
