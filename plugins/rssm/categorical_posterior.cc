#include "categorical_posterior.h"

#include "categorical_head.h"

namespace lf::rssm {

NodeSchema CategoricalPosteriorSchema() {
  SchemaBuilder b("rssm.categorical_posterior");
  b.category("rssm")
      .doc("RSSM posterior q(z_t|h_t,e_t): categorical latents (DreamerV2/V3), straight-through one-hot sample")
      .input("h", {"...", "deter"}, "deterministic state h_t")
      .input("embed", {"...", "embed"}, "observation embedding e_t")
      .output("logits", {"...", "stoch", "classes"}, "log-probabilities, after unimix")
      .output("sample", {"...", "*"}, "one-hot per latent, flattened to stoch * classes")
      .output("mode", {"...", "*"}, "the most likely class of each latent, one-hot, flattened, no gradient")
      .param("deter", ParamType::Int, 200, "deterministic state size", 1)
      .param("embed", ParamType::Int, nullptr, "observation embedding size", 1);
  return categorical_params(b).build();
}

std::unique_ptr<Node> MakeCategoricalPosterior(const Params& p, BuildContext& ctx) {
  return std::make_unique<CategoricalNode>(2, p.i("deter") + p.i("embed"), p, ctx.seed());
}

}  // namespace lf::rssm
