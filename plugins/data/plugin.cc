// The data plugin: synthetic data sources for testing graphs without environments.
#include "latentflow/plugin.h"
#include "oscillator.h"

namespace {

void register_nodes(lf::Registry& r) { r.add(lf_data::OscillatorSchema(), lf_data::MakeOscillator); }

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
