// The planners plugin: choosing actions. PlaNet's cross-entropy-method planner and TD-MPC's MPPI over a model flow,
// random actions for seed episodes, and Gaussian exploration noise.
#include "latentflow/plugin.h"

#include "action_noise.h"
#include "cem.h"
#include "mppi.h"
#include "random_action.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::planners::CemSchema(), lf::planners::MakeCem);
  r.add(lf::planners::MppiSchema(), lf::planners::MakeMppi);
  r.add(lf::planners::RandomActionSchema(), lf::planners::MakeRandomAction);
  r.add(lf::planners::ActionNoiseSchema(), lf::planners::MakeActionNoise);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
