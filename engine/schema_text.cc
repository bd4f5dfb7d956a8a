#include "schema_text.h"

#include <fmt/format.h>

namespace lf {

std::string shape_text(const std::vector<std::string>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? "," : "") + shape[i];
  return out + "]";
}

std::string describe_schema(const NodeSchema& s, const std::string& origin) {
  std::string out = fmt::format("{}@{}  ({}{}{})\n  {}\n  from {}\n", s.name, s.version, s.category,
                                s.learns ? ", learns" : "", s.stateful ? ", stateful" : "", s.doc, origin);
  out += "\nInputs:\n";
  if (s.inputs.empty()) out += "  (none)\n";
  for (const auto& p : s.inputs) {
    out += fmt::format("  {:<14} {:<4} {:<22} {}{}\n", p.name, to_string(p.dtype), shape_text(p.shape),
                       p.optional ? "(optional) " : "", p.doc);
  }
  out += "\nOutputs:\n";
  for (const auto& p : s.outputs) out += fmt::format("  {:<14} {:<4} {:<22} {}\n", p.name, to_string(p.dtype), shape_text(p.shape), p.doc);
  out += "\nParams:\n";
  if (s.params.empty()) out += "  (none)\n";
  for (const auto& p : s.params) {
    std::string range;
    if (p.min || p.max) range = fmt::format(" in [{}, {}]", p.min ? fmt::format("{}", *p.min) : "-inf", p.max ? fmt::format("{}", *p.max) : "inf");
    if (!p.choices.empty()) {
      range = " one of";
      for (const auto& c : p.choices) range += " " + c;
    }
    out += fmt::format("  {:<14} {:<10} {:<12}{}  {}\n", p.name, to_string(p.type),
                       p.default_value.is_null() ? "(required)" : "= " + p.default_value.dump(), range, p.doc);
  }
  return out;
}

nlohmann::json schema_json(const NodeSchema& s) {
  auto ports = [](const std::vector<Port>& ps) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& p : ps) a.push_back({{"name", p.name}, {"dtype", to_string(p.dtype)}, {"shape", p.shape}, {"doc", p.doc}, {"optional", p.optional}});
    return a;
  };
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : s.params) {
    nlohmann::json j = {{"name", p.name}, {"type", to_string(p.type)}, {"default", p.default_value}, {"doc", p.doc}};
    if (p.min) j["min"] = *p.min;
    if (p.max) j["max"] = *p.max;
    if (!p.choices.empty()) j["choices"] = p.choices;
    params.push_back(j);
  }
  return {{"name", s.name}, {"version", s.version}, {"category", s.category}, {"doc", s.doc}, {"learns", s.learns},
          {"stateful", s.stateful}, {"inputs", ports(s.inputs)}, {"outputs", ports(s.outputs)}, {"params", params}};
}

}  // namespace lf
