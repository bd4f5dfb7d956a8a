// The es plugin: evolution strategies (CMA-ES) for optimizing parameters by their fitness alone,
// as World Models evolves its controller.
#include "latentflow/plugin.h"

#include "cmaes_node.h"
#include "linear_controller.h"
#include "repeat_rows.h"
#include "rollout_fitness.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::es::CmaEsSchema(), lf::es::MakeCmaEs);
  r.add(lf::es::LinearControllerSchema(), lf::es::MakeLinearController);
  r.add(lf::es::RepeatRowsSchema(), lf::es::MakeRepeatRows);
  r.add(lf::es::RolloutFitnessSchema(), lf::es::MakeRolloutFitness);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
