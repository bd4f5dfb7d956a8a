#include "conv_decoder.h"

#include <string>
#include <vector>

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

#include "latentflow/linear.h"
#include "activation.h"
#include "channel_norm.h"

namespace lf_nn {
namespace {

class ConvDecoder final : public lf::Node {
  enum In { kX };
  enum Out { kY };
 public:
  explicit ConvDecoder(const lf::Params& p) : in_(p.i("in_dim")) {
    const int64_t depth = p.i("depth");
    if (p.s("style") == "dreamerv3") {
      // A linear map to a 4x4 map of 8 * depth channels, then transposed convs k4 s2 'same' with a
      // channel LayerNorm instead of a bias: 4 -> 8 -> 16 -> 32 -> 64; the last one has a bias.
      net_->push_back("fc", lf::Linear(in_, 16 * 8 * depth));
      net_->push_back("unflatten", torch::nn::Unflatten(1, std::vector<int64_t>{8 * depth, 4, 4}));
      const int64_t channels[] = {8 * depth, 4 * depth, 2 * depth, depth, 3};
      for (int i = 0; i < 4; ++i) {
        const auto n = std::to_string(i);
        net_->push_back("deconv" + n, torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(channels[i], channels[i + 1], 4)
                                                                     .stride(2).padding(1).bias(i == 3)));
        if (i < 3) {
          net_->push_back("norm" + n, ChannelNorm(channels[i + 1]));
          net_->push_back("act" + n, make_activation(p.s("activation")));
        }
      }
      if (p.s("out_activation") != "none") net_->push_back("out_act", make_activation(p.s("out_activation")));
      return;
    }
    net_->push_back("fc", lf::Linear(in_, 32 * depth));
    net_->push_back("unflatten", torch::nn::Unflatten(1, std::vector<int64_t>{32 * depth, 1, 1}));
    const int64_t channels[] = {32 * depth, 4 * depth, 2 * depth, depth, 3};
    const int64_t kernels[] = {5, 5, 6, 6};
    for (int i = 0; i < 4; ++i) {
      const auto n = std::to_string(i);
      net_->push_back("deconv" + n, torch::nn::ConvTranspose2d(
                                        torch::nn::ConvTranspose2dOptions(channels[i], channels[i + 1], kernels[i])
                                            .stride(2)));
      if (i < 3) net_->push_back("act" + n, make_activation(p.s("activation")));
    }
    if (p.s("out_activation") != "none") net_->push_back("out_act", make_activation(p.s("out_activation")));
  }

  void run(lf::CallContext& ctx) override {
    const auto& features = ctx.in(kX);
    std::vector<int64_t> shape(features.sizes().begin(), features.sizes().end() - 1);
    shape.insert(shape.end(), {64, 64, 3});
    // NCHW out of the convs, channels-last on the edge.
    auto image = net_->forward(features.reshape({-1, in_})).permute({0, 2, 3, 1});
    ctx.set(kY, image.reshape(shape));
  }
  torch::nn::Module* module() override { return net_.get(); }

 private:
  int64_t in_;
  torch::nn::Sequential net_;
};

}  // namespace

lf::NodeSchema ConvDecoderSchema() {
  return lf::SchemaBuilder("nn.conv_decoder")
      .category("nn")
      .doc("64x64x3 image decoder of World Models/PlaNet/Dreamer: linear, 4 transposed convs k5,5,6,6 s2")
      .input("x", {"...", "in_dim"}, "features to decode")
      .output("y", {"...", "64", "64", "3"}, "channels-last image mean")
      .param("in_dim", lf::ParamType::Int, nullptr, "input width", 1)
      .param("depth", lf::ParamType::Int, 32, "channels of the last hidden layer (earlier: 2x, 4x)", 1)
      .choice("activation", {"relu", "elu", "silu"}, "relu", "activation between the transposed convs")
      .choice("style", {"dreamer", "dreamerv3"}, "dreamer",
              "dreamer: from 1x1, kernels 5,5,6,6; dreamerv3: from 4x4, kernels 4 'same', channel LayerNorm")
      .choice("out_activation", {"none", "sigmoid"}, "none", "activation of the image")
      .learns()
      .build();
}

std::unique_ptr<lf::Node> MakeConvDecoder(const lf::Params& p, lf::BuildContext&) {
  return std::make_unique<ConvDecoder>(p);
}

}  // namespace lf_nn
