#include "conv_encoder.h"

#include <string>
#include <vector>

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include "activation.h"
#include "channel_norm.h"

namespace lf_nn {
namespace {

class ConvEncoder final : public lf::Node {
  enum In { kX };
  enum Out { kY };
 public:
  explicit ConvEncoder(const lf::Params& p) {
    const int64_t depth = p.i("depth");
    const bool v3 = p.s("style") == "dreamerv3";
    int64_t channels = 3;
    for (int64_t i = 0; i < 4; ++i) {
      const int64_t out = depth << i;
      const auto n = std::to_string(i);
      // DreamerV3: 'same' padding (64 -> 32 -> 16 -> 8 -> 4) and a channel LayerNorm instead of a bias.
      net_->push_back("conv" + n, torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, out, 4).stride(2).padding(v3 ? 1 : 0).bias(!v3)));
      if (v3) net_->push_back("norm" + n, ChannelNorm(out));
      net_->push_back("act" + n, make_activation(p.s("activation")));
      channels = out;
    }
    net_->push_back("flatten", torch::nn::Flatten());
  }

  void run(lf::CallContext& ctx) override {
    const auto& image = ctx.in(kX);
    std::vector<int64_t> shape(image.sizes().begin(), image.sizes().end() - 3);
    // Channels-last [N, 64, 64, 3] viewed as the NCHW layout the convs expect.
    auto embed = net_->forward(image.reshape({-1, 64, 64, 3}).permute({0, 3, 1, 2}));
    shape.push_back(embed.size(1));
    ctx.set(kY, embed.reshape(shape));
  }
  torch::nn::Module* module() override { return net_.get(); }

 private:
  torch::nn::Sequential net_;
};

}  // namespace

lf::NodeSchema ConvEncoderSchema() {
  return lf::SchemaBuilder("nn.conv_encoder")
      .category("nn")
      .doc("64x64x3 image encoder of World Models/PlaNet/Dreamer: 4 convs k4 s2, E = 32*depth features")
      .input("x", {"...", "64", "64", "3"}, "channels-last image, preprocessed")
      .output("y", {"...", "E"}, "embedding, E = 32 * depth (dreamerv3: 128 * depth)")
      .param("depth", lf::ParamType::Int, 32, "channels of the first conv (then 2x, 4x, 8x)", 1)
      .choice("activation", {"relu", "elu", "silu"}, "relu", "activation after every conv")
      .choice("style", {"dreamer", "dreamerv3"}, "dreamer",
              "dreamer: no padding, biases; dreamerv3: 'same' padding to 4x4, channel LayerNorm")
      .learns()
      .build();
}

std::unique_ptr<lf::Node> MakeConvEncoder(const lf::Params& p, lf::BuildContext&) {
  return std::make_unique<ConvEncoder>(p);
}

}  // namespace lf_nn
