#include "node_registry.h"

#include "diagnostics.h"
#include "param_values.h"

namespace lf {

void NodeRegistry::add(NodeSchema schema, NodeFactory factory) {
  const std::string name = schema.name;
  if (auto it = types_.find(name); it != types_.end()) {
    throw InputError("node type '" + name + "' is registered twice: by " + it->second.origin +
                     " and by " + origin_);
  }
  for (const auto& p : schema.params) {
    if (is_reserved_key(p.name)) {
      throw InputError(origin_ + ": node type '" + name + "' declares param '" + p.name +
                       "', a name reserved by the graph format");
    }
  }
  types_.emplace(name, NodeType{std::move(schema), std::move(factory), origin_});
}

const NodeType* NodeRegistry::find(const std::string& type) const {
  auto it = types_.find(type);
  return it == types_.end() ? nullptr : &it->second;
}

std::vector<std::string> NodeRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, _] : types_) out.push_back(n);
  return out;
}

}  // namespace lf
