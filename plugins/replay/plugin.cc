// The replay plugin: experience replay of whole episodes and the samplers that draw training
// batches from it.
#include "latentflow/plugin.h"

#include "episodes.h"
#include "sample.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::replay::EpisodesSchema(), lf::replay::MakeEpisodes);
  r.add(lf::replay::SampleSchema(), lf::replay::MakeSample);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
