// The envs plugin: control-suite tasks as one environment node type.
#include "env_node.h"
#include "latentflow/plugin.h"

namespace {
void register_nodes(lf::Registry& r) { r.add(lf::envs::EnvNodeSchema(), lf::envs::MakeEnvNode); }
}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
