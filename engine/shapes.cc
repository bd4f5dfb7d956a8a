#include "shapes.h"

#include <cctype>
#include <optional>

namespace lf {

namespace {

// Union-find over dims; a root may carry a known size and a display name.
class Solver {
 public:
  int fresh(std::string name = {}, bool flow_symbol = false) {
    parent_.push_back(static_cast<int>(parent_.size()));
    value_.push_back(std::nullopt);
    name_.push_back(std::move(name));
    flow_symbol_.push_back(flow_symbol);
    return parent_.back();
  }
  int constant(int64_t v, std::string name = {}) {
    int x = fresh(std::move(name));
    value_[x] = v;
    return x;
  }
  int find(int x) { return parent_[x] == x ? x : parent_[x] = find(parent_[x]); }
  std::optional<int64_t> value(int x) { return value_[find(x)]; }
  // False when both sides have different known sizes.
  bool unify(int a, int b) {
    a = find(a), b = find(b);
    if (a == b) return true;
    if (value_[a] && value_[b] && *value_[a] != *value_[b]) return false;
    if (!value_[b]) value_[b] = value_[a];
    if (flow_symbol_[a] && !flow_symbol_[b]) name_[b] = name_[a], flow_symbol_[b] = true;
    if (name_[b].empty()) name_[b] = name_[a];
    parent_[a] = b;
    return true;
  }
  std::string show(int x) {
    const int r = find(x);
    if (value_[r]) return name_[x].empty() || std::isdigit(name_[x][0]) ? std::to_string(*value_[r])
                                                                        : name_[x] + "=" + std::to_string(*value_[r]);
    return name_[r].empty() ? "?" : name_[r];
  }
  // The dim as written in a synthesized schema: its size, the flow-input symbol it equals, or "*".
  std::string pattern(int x) {
    const int r = find(x);
    if (value_[r]) return std::to_string(*value_[r]);
    return flow_symbol_[r] ? name_[r] : "*";
  }

 private:
  std::vector<int> parent_;
  std::vector<std::optional<int64_t>> value_;
  std::vector<std::string> name_;
  std::vector<bool> flow_symbol_;
};

struct Shape {
  bool known = false;  // rank known
  std::vector<int> dims;
};

// One node call's view of its schema's patterns: params give sizes, symbols are local to the call.
class Scope {
 public:
  Scope(Solver& s, const nlohmann::json* params, bool flow_scope) : s_(s), params_(params), flow_(flow_scope) {}

  // A dim string -> a solver variable (nullopt for "...").
  std::optional<int> dim(const std::string& d) {
    if (d == "...") return std::nullopt;
    if (d == "*") return s_.fresh();
    if (std::optional<int64_t> v = size_of(d)) return s_.constant(*v, d);
    if (d.find('+') != std::string::npos) return s_.fresh(d);  // a sum with a term not known yet
    auto [it, added] = symbols_.try_emplace(d, 0);
    if (added) it->second = s_.fresh(d, flow_);
    return it->second;
  }

  std::optional<std::vector<int>> ellipsis;

 private:
  std::optional<int64_t> size_of(const std::string& d) {
    int64_t total = 0;
    size_t start = 0;
    while (start <= d.size()) {
      size_t end = d.find('+', start);
      if (end == std::string::npos) end = d.size();
      const std::string term = d.substr(start, end - start);
      if (term.empty()) return std::nullopt;
      if (std::all_of(term.begin(), term.end(), [](unsigned char c) { return std::isdigit(c); })) {
        total += std::stoll(term);
      } else if (params_ && params_->contains(term) && (*params_)[term].is_number_integer()) {
        total += (*params_)[term].get<int64_t>();
      } else if (auto it = symbols_.find(term); it != symbols_.end() && d.find('+') != std::string::npos && s_.value(it->second)) {
        total += *s_.value(it->second);  // a symbol of this call, sized by an input: "D+S"
      } else {
        return std::nullopt;
      }
      start = end + 1;
    }
    return total;
  }
  Solver& s_;
  const nlohmann::json* params_;
  bool flow_;
  std::map<std::string, int> symbols_;
};

std::string show_shape(Solver& s, const Shape& sh) {
  if (!sh.known) return "[...]";
  std::string out = "[";
  for (size_t i = 0; i < sh.dims.size(); ++i) out += (i ? ", " : "") + s.show(sh.dims[i]);
  return out + "]";
}

std::string show_pattern(const std::vector<std::string>& p) {
  std::string out = "[";
  for (size_t i = 0; i < p.size(); ++i) out += (i ? ", " : "") + p[i];
  return out + "]";
}

// Matches a value's shape against a port pattern in `scope`; returns an error text or "".
bool undeclared(const std::vector<std::string>& pattern) { return pattern.size() == 1 && pattern[0] == "?"; }

std::string match(Solver& s, Scope& scope, const Shape& value, const std::vector<std::string>& pattern) {
  if (!value.known || undeclared(pattern)) return {};
  size_t ell = pattern.size();
  for (size_t i = 0; i < pattern.size(); ++i)
    if (pattern[i] == "...") ell = i;
  const size_t prefix = ell == pattern.size() ? pattern.size() : ell;
  const size_t suffix = ell == pattern.size() ? 0 : pattern.size() - ell - 1;
  const size_t n = value.dims.size();
  if (ell == pattern.size() ? n != pattern.size() : n < prefix + suffix) {
    return "rank mismatch: expected " + show_pattern(pattern) + ", got " + show_shape(s, value);
  }
  auto unify_at = [&](size_t vi, size_t pi) -> std::string {
    const int d = *scope.dim(pattern[pi]);
    const std::string before = s.show(d);
    if (!s.unify(value.dims[vi], d)) {
      return "shape mismatch: dim " + std::to_string(vi) + " is " + s.show(value.dims[vi]) + " but " +
             show_pattern(pattern) + " needs " + before + " there (got " + show_shape(s, value) + ")";
    }
    return {};
  };
  for (size_t i = 0; i < prefix; ++i)
    if (auto e = unify_at(i, i); !e.empty()) return e;
  for (size_t i = 0; i < suffix; ++i)
    if (auto e = unify_at(n - suffix + i, pattern.size() - suffix + i); !e.empty()) return e;
  if (ell != pattern.size()) {
    std::vector<int> middle(value.dims.begin() + prefix, value.dims.end() - suffix);
    if (!scope.ellipsis) {
      scope.ellipsis = middle;
    } else if (scope.ellipsis->size() != middle.size()) {
      return "the leading dims (...) differ in rank from another input of this node: got " + show_shape(s, value);
    } else {
      for (size_t i = 0; i < middle.size(); ++i) {
        if (!s.unify(middle[i], (*scope.ellipsis)[i])) {
          return "the leading dims (...) differ from another input of this node: got " + show_shape(s, value);
        }
      }
    }
  }
  return {};
}

Shape instantiate(Scope& scope, const std::vector<std::string>& pattern) {
  if (undeclared(pattern)) return Shape{};
  Shape out{true, {}};
  for (const auto& d : pattern) {
    if (d == "...") {
      if (!scope.ellipsis) return Shape{};
      out.dims.insert(out.dims.end(), scope.ellipsis->begin(), scope.ellipsis->end());
    } else {
      out.dims.push_back(*scope.dim(d));
    }
  }
  return out;
}

struct Value {
  DType dtype = DType::Any;
  Shape shape;
};

}  // namespace

void check_flow_shapes(Flow& flow, const std::map<std::string, Block>& blocks, Diagnostics& diags) {
  Solver solver;
  Scope flow_scope(solver, nullptr, true);
  std::map<std::string, Value> values;  // "$in" or "node.port"
  for (const auto& in : flow.inputs) {
    Value v{in.dtype, {}};
    bool has_ellipsis = false;
    for (const auto& d : in.shape) has_ellipsis |= d == "...";
    if (!has_ellipsis) v.shape = instantiate(flow_scope, in.shape);
    values["$" + in.name] = v;
  }
  for (size_t idx : flow.order) {
    FlowNode& node = flow.nodes[idx];
    if (!node.schema) continue;
    const nlohmann::json* params = nullptr;
    if (node.kind == FlowNode::Kind::Inline) params = &node.params;
    if (node.kind == FlowNode::Kind::Block) params = &blocks.at(node.target).params;
    Scope scope(solver, params, false);
    for (const auto& w : node.inputs) {
      const int pi = node.schema->input_index(w.port);
      auto it = values.find(w.src.text());
      if (pi < 0 || it == values.end()) continue;  // reported by validation
      const Port& port = node.schema->inputs[pi];
      const Value& v = it->second;
      if (port.dtype != DType::Any && v.dtype != DType::Any && port.dtype != v.dtype) {
        diags.error(w.pointer, std::string("dtype mismatch: ") + w.src.text() + " is " + to_string(v.dtype) +
                                   " but " + node.name + "." + w.port + " expects " + to_string(port.dtype));
        continue;
      }
      if (auto e = match(solver, scope, v.shape, port.shape); !e.empty()) {
        diags.error(w.pointer, w.src.text() + " -> " + node.name + "." + w.port + ": " + e);
      }
    }
    for (const auto& port : node.schema->outputs) {
      values[node.name + "." + port.name] = Value{port.dtype, instantiate(scope, port.shape)};
    }
  }
  flow.schema.outputs.clear();
  for (const auto& w : flow.outputs) {
    auto it = values.find(w.src.text());
    Port p{w.port, DType::Any, {"..."}, "from " + w.src.text(), false};
    if (it != values.end()) {
      p.dtype = it->second.dtype;
      if (it->second.shape.known) {
        p.shape.clear();
        for (int d : it->second.shape.dims) p.shape.push_back(solver.pattern(d));
      }
    }
    flow.schema.outputs.push_back(std::move(p));
  }
}

}  // namespace lf
