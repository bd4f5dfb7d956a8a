#include "model.h"

#include <string>
#include <vector>

#include "latentflow/node_random.h"
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/activation.h>

#include "latentflow/linear.h"

namespace lf_vae {
namespace {

struct VaeNet : torch::nn::Module {
  VaeNet(int64_t z, int64_t depth) {
    int64_t channels = 3;
    for (int64_t i = 0; i < 4; ++i) {
      const auto n = std::to_string(i);
      encoder->push_back("conv" + n, torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, depth << i, 4).stride(2)));
      encoder->push_back("relu" + n, torch::nn::ReLU());
      channels = depth << i;
    }
    fc_mean = lf::Linear(32 * depth, z);
    fc_logvar = lf::Linear(32 * depth, z);
    fc_dec = lf::Linear(z, 32 * depth);
    const int64_t ch[] = {32 * depth, 4 * depth, 2 * depth, depth, 3};
    const int64_t k[] = {5, 5, 6, 6};
    for (int i = 0; i < 4; ++i) {
      const auto n = std::to_string(i);
      decoder->push_back("deconv" + n, torch::nn::ConvTranspose2d(
                                           torch::nn::ConvTranspose2dOptions(ch[i], ch[i + 1], k[i]).stride(2)));
      if (i < 3) decoder->push_back("relu" + n, torch::nn::ReLU());
    }
    decoder->push_back("sigmoid", torch::nn::Sigmoid());
    register_module("encoder", encoder);
    register_module("fc_mean", fc_mean);
    register_module("fc_logvar", fc_logvar);
    register_module("fc_dec", fc_dec);
    register_module("decoder", decoder);
  }
  torch::nn::Sequential encoder, decoder;
  lf::Linear fc_mean{nullptr}, fc_logvar{nullptr}, fc_dec{nullptr};
};

class Model final : public lf::Node {
  enum In { kImage };
  enum Out { kMean, kLogvar, kZ, kRecon };
 public:
  Model(const lf::Params& p, uint64_t seed)
      : z_(p.i("z")),
        sample_(p.b("sample")),
        net_(std::make_shared<VaeNet>(p.i("z"), p.i("depth"))),
        rng_(seed) {}

  std::pair<at::Tensor, at::Tensor> encode(const at::Tensor& image) {
    // Channels-last [N, 64, 64, 3] -> NCHW for the convs; back to NHWC before the flatten (TF order).
    auto h = net_->encoder->forward(image.reshape({-1, 64, 64, 3}).permute({0, 3, 1, 2}));
    h = h.permute({0, 2, 3, 1}).flatten(1);
    return {net_->fc_mean(h), net_->fc_logvar(h)};
  }

  void run(lf::CallContext& ctx) override {
    const auto& image = ctx.in(kImage);
    std::vector<int64_t> lead(image.sizes().begin(), image.sizes().end() - 3);
    auto [mean, logvar] = encode(image);
    auto z = mean;
    if (sample_) z = mean + (0.5 * logvar).exp() * rng_.normal(mean.sizes(), mean);
    auto recon = net_->decoder->forward(net_->fc_dec(z).view({-1, net_->fc_dec->options.out_features(), 1, 1}));
    auto latent_shape = lead;
    latent_shape.push_back(z_);
    auto image_shape = lead;
    image_shape.insert(image_shape.end(), {64, 64, 3});
    ctx.set(kMean, mean.reshape(latent_shape));
    ctx.set(kLogvar, logvar.reshape(latent_shape));
    ctx.set(kZ, z.reshape(latent_shape));
    ctx.set(kRecon, recon.permute({0, 2, 3, 1}).reshape(image_shape));
  }
  torch::nn::Module* module() override { return net_.get(); }

  void save_state(lf::TensorDict& out) const override { rng_.save(out); }
  void load_state(const lf::TensorDict& in) override { rng_.load(in); }

 private:
  int64_t z_;
  bool sample_;
  std::shared_ptr<VaeNet> net_;
  lf::NodeRandom rng_;
};

}  // namespace

bool IsModel(const lf::Node& node) { return dynamic_cast<const Model*>(&node) != nullptr; }

std::pair<at::Tensor, at::Tensor> Encode(lf::Node& model, const at::Tensor& frames) {
  auto* m = dynamic_cast<Model*>(&model);
  if (!m) throw std::invalid_argument("not a vae.model node");
  return m->encode(frames);
}

lf::NodeSchema ModelSchema() {
  return lf::SchemaBuilder("vae.model")
      .category("vae")
      .doc("World Models' conv VAE for 64x64x3 frames: 4 convs k4 s2 -> mean/logvar -> z -> 4 deconvs, sigmoid")
      .input("image", {"...", "64", "64", "3"}, "channels-last frames, pixels in [0, 1]")
      .output("mean", {"...", "z"}, "mean of q(z|x)")
      .output("logvar", {"...", "z"}, "log-variance of q(z|x)")
      .output("z", {"...", "z"}, "reparameterized sample (the mean when sample=false)")
      .output("recon", {"...", "64", "64", "3"}, "reconstruction decoded from z, pixels in (0, 1)")
      .param("z", lf::ParamType::Int, 32, "latent size", 1)
      .param("depth", lf::ParamType::Int, 32, "channels of the first encoder conv (then 2x, 4x, 8x)", 1)
      .param("sample", lf::ParamType::Bool, true, "false: z is the mean")
      .learns()
      .stateful()
      .build();
}

std::unique_ptr<lf::Node> MakeModel(const lf::Params& p, lf::BuildContext& ctx) {
  return std::make_unique<Model>(p, ctx.seed());
}

}  // namespace lf_vae
