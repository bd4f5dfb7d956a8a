// The engine's registry of node types, filled by plugins through lf::Registry.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "latentflow/registry.h"

namespace lf {

struct NodeType {
  NodeSchema schema;
  NodeFactory factory;
  std::string origin;  // the plugin file that registered it
};

class NodeRegistry final : public Registry {
 public:
  // The file whose registration function runs next; named in duplicate errors.
  void set_origin(std::string file) { origin_ = std::move(file); }
  // Throws InputError when the type exists already (naming both files) or the schema is malformed.
  void add(NodeSchema schema, NodeFactory factory) override;

  const NodeType* find(const std::string& type) const;
  std::vector<std::string> names() const;
  const std::map<std::string, NodeType>& types() const { return types_; }

 private:
  std::map<std::string, NodeType> types_;
  std::string origin_ = "<engine>";
};

}  // namespace lf
