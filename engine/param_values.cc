#include "param_values.h"

#include <cstdint>

#include <array>
#include <cmath>

namespace lf {

bool is_reserved_key(std::string_view key) {
  static constexpr std::array<std::string_view, 10> kReserved = {
      "type", "block", "flow", "scan", "inputs", "after", "doc", "over", "carry", "reverse"};
  for (auto k : kReserved)
    if (k == key) return true;
  return false;
}

namespace {

std::string describe(const nlohmann::json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return std::string(v.type_name()) + " " + s;
}

bool is_number_of(ParamType t, const nlohmann::json& v) {
  if (t == ParamType::Int || t == ParamType::IntList) {
    return v.is_number_integer() ||
           (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
  }
  return v.is_number();
}

// Checks one scalar (or list element) of a numeric param; returns an error text or "".
std::string check_number(const Param& p, const nlohmann::json& v) {
  if (!is_number_of(p.type, v)) {
    bool want_int = p.type == ParamType::Int || p.type == ParamType::IntList;
    return std::string("expected ") + (want_int ? "an integer" : "a number") + ", got " + describe(v);
  }
  double x = v.get<double>();
  if (!std::isfinite(x)) return "expected a finite number, got " + describe(v);
  // Past int64 the value would wrap around when read (2^63 became INT64_MIN).
  const bool want_int = p.type == ParamType::Int || p.type == ParamType::IntList;
  if (want_int && ((v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) ||
                   (v.is_number_float() && std::abs(x) >= 9.2e18)))
    return "out of range: expected an integer within 64 bits, got " + describe(v);
  if ((p.min && x < *p.min) || (p.max && x > *p.max)) {
    auto bound = [](const std::optional<double>& b, const char* inf) {
      return b ? nlohmann::json(*b).dump() : std::string(inf);
    };
    return "out of range: expected " + bound(p.min, "-inf") + " <= value <= " + bound(p.max, "inf") +
           ", got " + v.dump();
  }
  return {};
}

std::string check_value(const Param& p, const nlohmann::json& v) {
  switch (p.type) {
    case ParamType::Int:
    case ParamType::Float:
      return check_number(p, v);
    case ParamType::Bool:
      return v.is_boolean() ? "" : "expected true or false, got " + describe(v);
    case ParamType::Block:
      return v.is_string() ? "" : "expected a block name, got " + describe(v);
    case ParamType::Flow:
      return v.is_string() ? "" : "expected a flow name, got " + describe(v);
    case ParamType::String: {
      if (!v.is_string()) return "expected a string, got " + describe(v);
      if (p.choices.empty()) return {};
      for (const auto& c : p.choices)
        if (c == v.get<std::string>()) return {};
      return "unknown value '" + v.get<std::string>() + "'" + suggest(v.get<std::string>(), p.choices);
    }
    case ParamType::IntList:
    case ParamType::FloatList:
    case ParamType::BlockList: {
      if (!v.is_array()) return std::string("expected a ") + to_string(p.type) + ", got " + describe(v);
      for (size_t i = 0; i < v.size(); ++i) {
        std::string e = p.type == ParamType::BlockList
                            ? (v[i].is_string() ? "" : "expected a block name, got " + describe(v[i]))
                            : check_number(p, v[i]);
        if (!e.empty()) return "element " + std::to_string(i) + ": " + e;
      }
      return {};
    }
  }
  return "unsupported param type";
}

}  // namespace

nlohmann::json resolve_params(const NodeSchema& schema, const nlohmann::json& node,
                              const std::string& pointer, Diagnostics& diags) {
  nlohmann::json out = nlohmann::json::object();
  std::vector<std::string> names;
  for (const auto& p : schema.params) names.push_back(p.name);

  for (auto it = node.begin(); it != node.end(); ++it) {
    if (is_reserved_key(it.key())) continue;
    const Param* p = schema.param(it.key());
    const std::string where = pointer + "/" + pointer_token(it.key());
    if (!p) {
      diags.error(where, "unknown param '" + it.key() + "' of " + schema.name + suggest(it.key(), names));
      continue;
    }
    if (std::string e = check_value(*p, it.value()); !e.empty()) {
      diags.error(where, "param '" + p->name + "' (" + to_string(p->type) + "): " + e);
      continue;
    }
    out[p->name] = it.value();
  }
  for (const auto& p : schema.params) {
    if (out.contains(p.name)) continue;
    if (p.default_value.is_null()) {
      if (!node.contains(p.name)) {
        diags.error(pointer, "missing required param '" + p.name + "' (" + to_string(p.type) +
                                 ") of " + schema.name + ": " + p.doc);
      }
      continue;
    }
    out[p.name] = p.default_value;
  }
  return out;
}

}  // namespace lf
