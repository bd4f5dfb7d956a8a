// The example plugin: one node type, example.scale. The only file that registers node types;
// LATENTFLOW_PLUGIN exports the ABI report and the registration entry point the engine looks for.
#include "latentflow/plugin.h"

#include "scale.h"

namespace {

void register_nodes(lf::Registry& r) { r.add(lf::example::ScaleSchema(), lf::example::MakeScale); }

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
