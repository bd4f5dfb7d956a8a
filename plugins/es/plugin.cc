// The es plugin: evolution strategies (CMA-ES) for optimizing parameters by their fitness alone,
// as World Models evolves its controller.
#include "latentflow/plugin.h"

#include "cmaes_node.h"

namespace {

void register_nodes(lf::Registry& r) { r.add(lf::es::CmaEsSchema(), lf::es::MakeCmaEs); }

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
