// The rssm plugin: PlaNet's recurrent state-space model as separate blocks (Gaussian latents, and
// DreamerV2/V3's categorical ones), so that PlaNet and Dreamer graphs (observe, imagine, plan)
// wire the same weights in different flows.
#include "latentflow/plugin.h"

#include "categorical_posterior.h"
#include "categorical_prior.h"
#include "deterministic.h"
#include "features.h"
#include "gaussian_posterior.h"
#include "gaussian_prior.h"
#include "initial_state.h"
#include "learned_initial.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::rssm::DeterministicSchema(), lf::rssm::MakeDeterministic);
  r.add(lf::rssm::GaussianPriorSchema(), lf::rssm::MakeGaussianPrior);
  r.add(lf::rssm::GaussianPosteriorSchema(), lf::rssm::MakeGaussianPosterior);
  r.add(lf::rssm::CategoricalPriorSchema(), lf::rssm::MakeCategoricalPrior);
  r.add(lf::rssm::CategoricalPosteriorSchema(), lf::rssm::MakeCategoricalPosterior);
  r.add(lf::rssm::FeaturesSchema(), lf::rssm::MakeFeatures);
  r.add(lf::rssm::InitialStateSchema(), lf::rssm::MakeInitialState);
  r.add(lf::rssm::LearnedInitialSchema(), lf::rssm::MakeLearnedInitial);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
