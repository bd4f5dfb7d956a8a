// The example plugin: two node types, example.scale and the custom environment example.point_mass. The only file that registers node types;
// LATENTFLOW_PLUGIN exports the ABI report and the registration entry point the engine looks for.
#include "latentflow/plugin.h"

#include "point_mass.h"
#include "scale.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::example::ScaleSchema(), lf::example::MakeScale);
  r.add(lf::example::PointMassSchema(), lf::example::MakePointMass);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
