#include "loss.h"

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

namespace lf_vae {
namespace {

class Loss final : public lf::Node {
  enum In { kImage, kRecon, kMean, kLogvar };
  enum Out { kLoss, kReconLoss, kKl };
 public:
  explicit Loss(const lf::Params& p) : z_(p.i("z")), floor_(p.f("kl_tolerance") * static_cast<double>(p.i("z"))) {}

  void run(lf::CallContext& ctx) override {
    const auto &image = ctx.in(kImage), &recon = ctx.in(kRecon);
    const auto &mean = ctx.in(kMean), &logvar = ctx.in(kLogvar);
    if (mean.size(-1) != z_ || logvar.size(-1) != z_)
      throw std::invalid_argument("vae.loss: mean/logvar last dim must be z = " + std::to_string(z_));
    auto sse = (image - recon).square().flatten(-3).sum(-1);                  // per frame
    auto kl = -0.5 * (1 + logvar - mean.square() - logvar.exp()).sum(-1);     // per frame
    auto recon_loss = sse.mean();
    // clamp_min passes no gradient where the floor is active, like tf.maximum against a constant.
    ctx.set(kLoss, recon_loss + kl.clamp_min(floor_).mean());
    ctx.set(kReconLoss, recon_loss.detach());
    ctx.set(kKl, kl.mean().detach());
  }

 private:
  int64_t z_;
  double floor_;
};

}  // namespace

lf::NodeSchema LossSchema() {
  return lf::SchemaBuilder("vae.loss")
      .category("vae")
      .doc("World Models VAE loss: per-frame pixel SSE + max(KL, kl_tolerance*z), averaged over frames")
      .input("image", {"...", "64", "64", "3"}, "target frames, pixels in [0, 1]")
      .input("recon", {"...", "64", "64", "3"}, "reconstruction")
      .input("mean", {"...", "z"}, "mean of q(z|x)")
      .input("logvar", {"...", "z"}, "log-variance of q(z|x)")
      .output("loss", {}, "recon SSE + floored KL, mean over frames (optimize this)")
      .output("recon_loss", {}, "per-frame SSE, mean over frames, detached (log this)")
      .output("kl", {}, "per-frame KL before the floor, mean over frames, detached (log this)")
      .param("z", lf::ParamType::Int, 32, "latent size", 1)
      .param("kl_tolerance", lf::ParamType::Float, 0.5, "KL floor per latent dim, in nats", 0.0)
      .build();
}

std::unique_ptr<lf::Node> MakeLoss(const lf::Params& p, lf::BuildContext&) {
  return std::make_unique<Loss>(p);
}

}  // namespace lf_vae
