// The viz plugin: nodes that arrange tensors into pictures for the run directory.
#include "compare_video.h"
#include "latentflow/plugin.h"

namespace {

void register_nodes(lf::Registry& r) { r.add(lf_viz::CompareVideoSchema(), lf_viz::MakeCompareVideo); }

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
