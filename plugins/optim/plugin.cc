// The optim plugin: optimizers that update the weights of other blocks from a loss, and target
// copies of blocks kept by exponential moving average.
#include "latentflow/plugin.h"

#include "adam.h"
#include "ema.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::optim::AdamSchema(), lf::optim::MakeAdam);
  r.add(lf::optim::EmaSchema(), lf::optim::MakeEma);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
