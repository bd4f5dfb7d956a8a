// The registry a plugin adds its node types to. Implemented by the engine; a plugin only calls it.
#pragma once

#include "latentflow/node.h"
#include "latentflow/schema.h"

namespace lf {

class LATENTFLOW_API Registry {
 public:
  virtual ~Registry() = default;
  virtual void add(NodeSchema schema, NodeFactory factory) = 0;
};

}  // namespace lf
