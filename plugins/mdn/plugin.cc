// The mdn plugin: the World Models memory model M (Ha & Schmidhuber 2018), an LSTM whose output
// parameterizes a Gaussian mixture over the next VAE latent, as three blocks: the recurrent step
// (unrolled by a scan), temperature sampling (dreaming), and the mixture negative log-likelihood.
#include "latentflow/plugin.h"

#include "loss.h"
#include "lstm_step.h"
#include "sample.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::mdn::LstmStepSchema(), lf::mdn::MakeLstmStep);
  r.add(lf::mdn::SampleSchema(), lf::mdn::MakeSample);
  r.add(lf::mdn::LossSchema(), lf::mdn::MakeLoss);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
