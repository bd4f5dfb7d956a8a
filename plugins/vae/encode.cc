#include "encode.h"

#include <ATen/ATen.h>
#include "latentflow/node_random.h"

#include "model.h"

namespace lf_vae {
namespace {

class EncodeNode final : public lf::Node {
  enum In { kImage };
  enum Out { kMean, kLogvar, kZ };
 public:
  EncodeNode(lf::Node& model, bool sample, uint64_t seed)
      : model_(model), sample_(sample), rng_(seed) {}

  void run(lf::CallContext& ctx) override {
    const auto& image = ctx.in(kImage);
    std::vector<int64_t> shape(image.sizes().begin(), image.sizes().end() - 3);
    auto [mean, logvar] = Encode(model_, image);
    shape.push_back(mean.size(-1));
    auto z = mean;
    if (sample_) z = mean + (0.5 * logvar).exp() * rng_.normal(mean.sizes(), mean);
    ctx.set(kMean, mean.reshape(shape));
    ctx.set(kLogvar, logvar.reshape(shape));
    ctx.set(kZ, z.reshape(shape));
  }

  void save_state(lf::TensorDict& out) const override { rng_.save(out); }
  void load_state(const lf::TensorDict& in) override { rng_.load(in); }

 private:
  lf::Node& model_;
  bool sample_;
  lf::NodeRandom rng_;
};

}  // namespace

lf::NodeSchema EncodeSchema() {
  return lf::SchemaBuilder("vae.encode")
      .category("vae")
      .doc("The encoder of a vae.model block alone: frames -> mean, logvar, z (no decoder pass)")
      .input("image", {"...", "64", "64", "3"}, "channels-last frames, pixels in [0, 1]")
      .output("mean", {"...", "*"}, "mean of q(z|x)")
      .output("logvar", {"...", "*"}, "log-variance of q(z|x)")
      .output("z", {"...", "*"}, "reparameterized sample (the mean when sample=false)")
      .param("vae", lf::ParamType::Block, nullptr, "the vae.model block whose encoder this is")
      .param("sample", lf::ParamType::Bool, true, "false: z is the mean")
      .stateful()
      .build();
}

std::unique_ptr<lf::Node> MakeEncode(const lf::Params& p, lf::BuildContext& ctx) {
  lf::Node* model = ctx.node_of(p.s("vae"));
  // Checked here so that a wrong block is a load-time error, not one at the first call.
  if (!IsModel(*model)) throw std::invalid_argument("vae.encode: block '" + p.s("vae") + "' is not a vae.model block");
  return std::make_unique<EncodeNode>(*model, p.b("sample"), ctx.seed());
}

}  // namespace lf_vae
