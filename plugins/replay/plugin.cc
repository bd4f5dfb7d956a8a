// The replay plugin: experience replay of whole episodes and the samplers that draw training
// batches from it, with priorities (PER) where the graph sets them.
#include "latentflow/plugin.h"

#include "episodes.h"
#include "sample.h"
#include "set_priority.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::replay::EpisodesSchema(), lf::replay::MakeEpisodes);
  r.add(lf::replay::SampleSchema(), lf::replay::MakeSample);
  r.add(lf::replay::SetPrioritySchema(), lf::replay::MakeSetPriority);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
