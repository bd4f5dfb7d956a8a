// The rssm plugin: PlaNet's recurrent state-space model as separate blocks, so that PlaNet and
// Dreamer graphs (observe, imagine, plan) wire the same weights in different flows.
#include "latentflow/plugin.h"

#include "deterministic.h"
#include "features.h"
#include "gaussian_posterior.h"
#include "gaussian_prior.h"
#include "initial_state.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::rssm::DeterministicSchema(), lf::rssm::MakeDeterministic);
  r.add(lf::rssm::GaussianPriorSchema(), lf::rssm::MakeGaussianPrior);
  r.add(lf::rssm::GaussianPosteriorSchema(), lf::rssm::MakeGaussianPosterior);
  r.add(lf::rssm::FeaturesSchema(), lf::rssm::MakeFeatures);
  r.add(lf::rssm::InitialStateSchema(), lf::rssm::MakeInitialState);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
