// The losses plugin: the loss terms of the world-model papers, each reduced to a 0-dim tensor
// (sum over the event dims, mean over batch and time), and their weighted total.
#include "latentflow/plugin.h"

#include "bernoulli_nll.h"
#include "gaussian_nll.h"
#include "kl_categorical.h"
#include "kl_gaussian.h"
#include "latent_overshooting.h"
#include "mse.h"
#include "weighted_sum.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::losses::MseSchema(), lf::losses::MakeMse);
  r.add(lf::losses::GaussianNllSchema(), lf::losses::MakeGaussianNll);
  r.add(lf::losses::BernoulliNllSchema(), lf::losses::MakeBernoulliNll);
  r.add(lf::losses::KlGaussianSchema(), lf::losses::MakeKlGaussian);
  r.add(lf::losses::KlCategoricalSchema(), lf::losses::MakeKlCategorical);
  r.add(lf::losses::LatentOvershootingSchema(), lf::losses::MakeLatentOvershooting);
  r.add(lf::losses::WeightedSumSchema(), lf::losses::MakeWeightedSum);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
