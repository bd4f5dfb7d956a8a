#include "gaussian_prior.h"

#include "layers.h"

namespace lf::rssm {

NodeSchema GaussianPriorSchema() {
  return SchemaBuilder("rssm.gaussian_prior")
      .category("rssm")
      .doc("RSSM prior p(s_t|h_t): diagonal Gaussian, std = softplus + min_std, reparameterized sample")
      .input("h", {"...", "deter"}, "deterministic state h_t")
      .output("mean", {"...", "stoch"})
      .output("std", {"...", "stoch"}, ">= min_std")
      .output("sample", {"...", "stoch"}, "mean + std * eps, or the mean when sample=false")
      .param("deter", ParamType::Int, 200, "deterministic state size", 1)
      .param("stoch", ParamType::Int, 30, "stochastic state size", 1)
      .param("hidden", ParamType::Int, 200, "width of the hidden layer", 1)
      .param("min_std", ParamType::Float, 0.1, "added to softplus(.) so that std >= min_std", 0.0)
      .choice("act", {"elu", "relu"}, "elu", "activation of the hidden layer (PlaNet: relu)")
      .param("sample", ParamType::Bool, true, "false: output the mean as the sample")
      .learns()
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeGaussianPrior(const Params& p, BuildContext& ctx) {
  return std::make_unique<HeadNode>(1, p.i("deter"), p, ctx.seed());
}

}  // namespace lf::rssm
