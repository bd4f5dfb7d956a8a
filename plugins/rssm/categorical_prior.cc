#include "categorical_prior.h"

#include "categorical_head.h"

namespace lf::rssm {

NodeSchema CategoricalPriorSchema() {
  SchemaBuilder b("rssm.categorical_prior");
  b.category("rssm")
      .doc("RSSM prior p(z_t|h_t): categorical latents (DreamerV2/V3), straight-through one-hot sample")
      .input("h", {"...", "deter"}, "deterministic state h_t")
      .output("logits", {"...", "stoch", "classes"}, "log-probabilities, after unimix")
      .output("sample", {"...", "*"}, "one-hot per latent, flattened to stoch * classes")
      .output("mode", {"...", "*"}, "the most likely class of each latent, one-hot, flattened, no gradient")
      .param("deter", ParamType::Int, 200, "deterministic state size", 1);
  return categorical_params(b).build();
}

std::unique_ptr<Node> MakeCategoricalPrior(const Params& p, BuildContext& ctx) {
  return std::make_unique<CategoricalNode>(1, p.i("deter"), p, ctx.seed());
}

}  // namespace lf::rssm
