// The optim plugin: optimizers that update the weights of other blocks from a loss.
#include "latentflow/plugin.h"

#include "adam.h"

namespace {

void register_nodes(lf::Registry& r) { r.add(lf::optim::AdamSchema(), lf::optim::MakeAdam); }

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
