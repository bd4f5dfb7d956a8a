#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

const nlohmann::json kSmall = {{"z", 2}, {"action_size", 1}, {"hidden", 3}, {"mixtures", 2}};

std::map<std::string, at::Tensor> inputs(int64_t b, int64_t z, int64_t a, int64_t h, at::ScalarType t = at::kFloat) {
  auto o = at::TensorOptions().dtype(t);
  return {{"z", at::randn({b, z}, o)}, {"a", at::randn({b, a}, o)}, {"h", at::randn({b, h}, o)}, {"c", at::randn({b, h}, o)}};
}

TEST(MdnLstmStep, OutputShapesAndWeights) {
  TestNode cell("mdn.lstm_step", {{"action_size", 3}});  // defaults: z 32, hidden 256, mixtures 5
  auto out = cell.run(inputs(4, 32, 3, 256));
  EXPECT_EQ(out.at("h_next").sizes(), (Sizes{4, 256}));
  EXPECT_EQ(out.at("c_next").sizes(), (Sizes{4, 256}));
  for (const char* k : {"logit_pi", "mu", "log_sigma"}) EXPECT_EQ(out.at(k).sizes(), (Sizes{4, 32, 5})) << k;
  EXPECT_EQ(out.at("reward").sizes(), (Sizes{4}));
  EXPECT_EQ(out.at("done_logit").sizes(), (Sizes{4}));
  int64_t n = 0;
  for (const auto& p : cell.module()->parameters()) n += p.numel();
  // LSTM 4*256*(35+256) weights + 2*4*256 biases; head 256 -> 2 + 3*32*5
  EXPECT_EQ(n, 4 * 256 * 291 + 2 * 4 * 256 + (256 + 1) * 482);
}

TEST(MdnLstmStep, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("mdn.lstm_step", {{"z", 4}}), std::invalid_argument);  // action required
  EXPECT_THROW(TestNode("mdn.lstm_step", {{"action_size", 2}, {"mixtures", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("mdn.lstm_step", {{"action_size", 2}, {"hidden", -1}}), std::invalid_argument);
  EXPECT_THROW(TestNode("mdn.lstm_step", {{"action_size", 2}, {"units", 8}}), std::invalid_argument);
}

TEST(MdnLstmStep, MixtureWeightsAreNormalized) {
  TestNode cell("mdn.lstm_step", kSmall);
  auto out = cell.run(inputs(5, 2, 1, 3));
  EXPECT_LT(at::logsumexp(out.at("logit_pi"), -1).abs().max().item<double>(), 1e-5);
}

// Gates i, f, g, o on [z, a] and h; the head's output is [reward, done, (logit, mu, log_sigma) per z dim].
TEST(MdnLstmStep, MatchesHandWrittenLstmAndHeadLayout) {
  TestNode cell("mdn.lstm_step", kSmall);
  auto in = inputs(2, 2, 1, 3);
  auto out = cell.run(in);
  auto p = cell.module()->named_parameters();
  at::NoGradGuard no_grad;
  auto g = (at::linear(at::cat({in["z"], in["a"]}, -1), p["lstm.weight_ih"], p["lstm.bias_ih"]) +
            at::linear(in["h"], p["lstm.weight_hh"], p["lstm.bias_hh"])).chunk(4, -1);
  auto c = at::sigmoid(g[1]) * in["c"] + at::sigmoid(g[0]) * at::tanh(g[2]);
  auto h = at::sigmoid(g[3]) * at::tanh(c);
  EXPECT_TRUE(at::allclose(out.at("c_next"), c, 1e-5, 1e-6));
  EXPECT_TRUE(at::allclose(out.at("h_next"), h, 1e-5, 1e-6));
  auto y = at::linear(h, p["head.weight"], p["head.bias"]);
  EXPECT_TRUE(at::allclose(out.at("reward"), y.select(1, 0), 1e-5, 1e-6));
  EXPECT_TRUE(at::allclose(out.at("done_logit"), y.select(1, 1), 1e-5, 1e-6));
  // z dim 1, component 0: logit at 2 + 6 + 0, mu at 2 + 6 + 2, log_sigma at 2 + 6 + 4
  EXPECT_NEAR(out.at("mu")[0][1][0].item<double>(), y[0][10].item<double>(), 1e-5);
  EXPECT_NEAR(out.at("log_sigma")[0][1][1].item<double>(), y[0][13].item<double>(), 1e-5);
  auto logits = y.slice(1, 8, 10)[1];
  EXPECT_TRUE(at::allclose(out.at("logit_pi")[1][1], logits - at::logsumexp(logits, 0), 1e-5, 1e-6));
}

TEST(MdnLstmStep, ForgetGateBiasStartsAtOne) {
  TestNode cell("mdn.lstm_step", kSmall);
  auto p = cell.module()->named_parameters();
  auto b = p["lstm.bias_ih"] + p["lstm.bias_hh"];
  EXPECT_EQ(b.slice(0, 3, 6).sum().item<double>(), 3.0);
  EXPECT_EQ(b.abs().sum().item<double>(), 3.0);
}

TEST(MdnLstmStep, GradientMatchesFiniteDifferences) {
  TestNode cell("mdn.lstm_step", kSmall);
  cell.to_double();
  auto f = [&](const std::vector<at::Tensor>& in) {
    auto o = cell.run({{"z", in[0]}, {"a", in[1]}, {"h", in[2]}, {"c", in[3]}});
    return at::cat({o.at("h_next"), o.at("c_next"), o.at("logit_pi").flatten(1), o.at("mu").flatten(1),
                    o.at("log_sigma").flatten(1), o.at("reward").unsqueeze(1), o.at("done_logit").unsqueeze(1)},
                   -1);
  };
  auto r = [](at::IntArrayRef s) { return at::randn(s, at::kDouble).requires_grad_(); };
  EXPECT_LT(lf::testing::gradient_error(f, {r({3, 2}), r({3, 1}), r({3, 3}), r({3, 3})}), 1e-6);
}

}  // namespace
