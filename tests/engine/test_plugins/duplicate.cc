// Registers a node type that the nn plugin registers too: loading both must fail naming both files.
#include <ATen/ATen.h>

#include "latentflow/sdk.h"

namespace {
void register_nodes(lf::Registry& r) {
  r.add(lf::SchemaBuilder("nn.linear").doc("an impostor").build(),
        [](const lf::Params&, lf::BuildContext&) -> std::unique_ptr<lf::Node> { return nullptr; });
}
}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
