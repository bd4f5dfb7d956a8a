#include "lstm_step.h"

#include <ATen/ATen.h>
#include <torch/nn/init.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/rnn.h>

#include "latentflow/linear.h"

namespace lf::mdn {
namespace {

struct MdnRnnImpl : torch::nn::Module {
  MdnRnnImpl(int64_t z, int64_t action, int64_t hidden, int64_t mixtures)
      : lstm(register_module("lstm", torch::nn::LSTMCell(z + action, hidden))),
        head(register_module("head", lf::Linear(hidden, 2 + 3 * z * mixtures))) {
    torch::NoGradGuard no_grad;
    torch::nn::init::xavier_uniform_(lstm->weight_ih);
    torch::nn::init::xavier_uniform_(lstm->weight_hh);
    torch::nn::init::zeros_(lstm->bias_ih);
    torch::nn::init::zeros_(lstm->bias_hh);
    lstm->bias_ih.slice(0, hidden, 2 * hidden).fill_(1.0);  // gates i, f, g, o: forget bias 1
    torch::nn::init::xavier_uniform_(head->weight);
    torch::nn::init::zeros_(head->bias);
  }
  torch::nn::LSTMCell lstm;
  lf::Linear head;
};
TORCH_MODULE(MdnRnn);

class LstmStep : public Node {
  enum In { kZ, kA, kH, kC };
  enum Out { kHNext, kCNext, kLogitPi, kMu, kLogSigma, kReward, kDoneLogit };
 public:
  explicit LstmStep(const Params& p)
      : z_(p.i("z")), k_(p.i("mixtures")), net_(p.i("z"), p.i("action_size"), p.i("hidden"), p.i("mixtures")) {}

  void run(CallContext& ctx) override {
    auto [h, c] = net_->lstm(at::cat({ctx.in(kZ), ctx.in(kA)}, -1),
                             std::make_tuple(ctx.in(kH), ctx.in(kC)));
    auto y = net_->head(h);
    // Layout of the head's output: [reward, done_logit, then per z dim (logit_pi[K], mu[K], log_sigma[K])].
    auto mix = y.slice(-1, 2).view({y.size(0), z_, 3, k_});
    ctx.set(kHNext, h);
    ctx.set(kCNext, c);
    ctx.set(kLogitPi, at::log_softmax(mix.select(2, 0), -1));
    ctx.set(kMu, mix.select(2, 1));
    ctx.set(kLogSigma, mix.select(2, 2));
    ctx.set(kReward, y.select(-1, 0));
    ctx.set(kDoneLogit, y.select(-1, 1));
  }
  torch::nn::Module* module() override { return net_.get(); }

 private:
  int64_t z_, k_;
  MdnRnn net_;
};

}  // namespace

NodeSchema LstmStepSchema() {
  return SchemaBuilder("mdn.lstm_step")
      .category("mdn")
      .doc("World Models MDN-RNN step: LSTM on [z_t, a_t], Gaussian mixture per z dim for z_{t+1}, reward, done")
      .input("z", {"B", "z"}, "latent z_t")
      .input("a", {"B", "action_size"}, "action a_t")
      .input("h", {"B", "hidden"}, "LSTM hidden state")
      .input("c", {"B", "hidden"}, "LSTM cell state")
      .output("h_next", {"B", "hidden"}, "LSTM hidden state after the step")
      .output("c_next", {"B", "hidden"}, "LSTM cell state after the step")
      .output("logit_pi", {"B", "z", "mixtures"}, "log mixture weights for z_{t+1} (log-softmax normalized)")
      .output("mu", {"B", "z", "mixtures"}, "component means")
      .output("log_sigma", {"B", "z", "mixtures"}, "component log stds")
      .output("reward", {"B"}, "predicted reward")
      .output("done_logit", {"B"}, "logit of done")
      .param("z", ParamType::Int, 32, "latent size", 1)
      .param("action_size", ParamType::Int, nullptr, "action size", 1)
      .param("hidden", ParamType::Int, 256, "LSTM units", 1)
      .param("mixtures", ParamType::Int, 5, "Gaussians per latent dimension", 1)
      .learns()
      .build();
}

std::unique_ptr<Node> MakeLstmStep(const Params& p, BuildContext&) { return std::make_unique<LstmStep>(p); }

}  // namespace lf::mdn
