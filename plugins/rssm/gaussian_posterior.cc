#include "gaussian_posterior.h"

#include "layers.h"

namespace lf::rssm {

NodeSchema GaussianPosteriorSchema() {
  return SchemaBuilder("rssm.gaussian_posterior")
      .category("rssm")
      .doc("RSSM posterior q(s_t|h_t,e_t): diagonal Gaussian, std = softplus + min_std")
      .input("h", {"...", "deter"}, "deterministic state h_t")
      .input("embed", {"...", "embed"}, "observation embedding e_t")
      .output("mean", {"...", "stoch"})
      .output("std", {"...", "stoch"}, ">= min_std")
      .output("sample", {"...", "stoch"}, "mean + std * eps, or the mean when sample=false")
      .param("deter", ParamType::Int, 200, "deterministic state size", 1)
      .param("embed", ParamType::Int, nullptr, "observation embedding size", 1)
      .param("stoch", ParamType::Int, 30, "stochastic state size", 1)
      .param("hidden", ParamType::Int, 200, "width of the hidden layer", 1)
      .param("min_std", ParamType::Float, 0.1, "added to softplus(.) so that std >= min_std", 0.0)
      .choice("act", {"elu", "relu"}, "elu", "activation of the hidden layer (PlaNet: relu)")
      .param("sample", ParamType::Bool, true, "false: output the mean as the sample")
      .learns()
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeGaussianPosterior(const Params& p, BuildContext& ctx) {
  return std::make_unique<HeadNode>(2, p.i("deter") + p.i("embed"), p, ctx.seed());
}

}  // namespace lf::rssm
