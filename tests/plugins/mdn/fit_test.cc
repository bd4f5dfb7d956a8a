// A tiny end-to-end check: mdn.lstm_step unrolled over a fixed synthetic sequence and mdn.loss,
// trained with Adam, lowers the mixture NLL.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/optim/adam.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

TEST(MdnFit, AdamLowersTheNllOnAFixedSequence) {
  const auto start = std::chrono::steady_clock::now();
  at::manual_seed(0);
  const int64_t B = 8, T = 20, Z = 3, A = 1, H = 32, K = 3;
  TestNode cell("mdn.lstm_step", {{"z", Z}, {"action_size", A}, {"hidden", H}, {"mixtures", K}});
  TestNode loss("mdn.loss");

  // z_t on a circle whose speed is set by the action, plus a bimodal third dim; reward and done
  // are functions of the state.
  auto action = at::rand({B, T + 1, A}) - 0.5;
  auto phase = at::cumsum(0.3 + 0.5 * action.select(2, 0), 1) + at::rand({B, 1}) * 6.28;
  auto sign = (at::rand({B, T + 1}) > 0.5).to(at::kFloat) * 2 - 1;
  auto z = at::stack({at::sin(phase), at::cos(phase), sign * 0.8 + 0.05 * at::randn({B, T + 1})}, -1);
  auto reward = at::sin(phase).slice(1, 1);
  auto done = (at::cos(phase) > 0.9).to(at::kFloat).slice(1, 1);

  torch::optim::Adam adam(cell.module()->parameters(), torch::optim::AdamOptions(1e-2));
  auto unroll = [&]() {
    auto h = at::zeros({B, H}), c = at::zeros({B, H});
    std::vector<at::Tensor> pi, mu, ls, r, d;
    for (int64_t t = 0; t < T; ++t) {
      auto o = cell.run({{"z", z.select(1, t)}, {"a", action.select(1, t)}, {"h", h}, {"c", c}});
      h = o.at("h_next");
      c = o.at("c_next");
      pi.push_back(o.at("logit_pi"));
      mu.push_back(o.at("mu"));
      ls.push_back(o.at("log_sigma"));
      r.push_back(o.at("reward"));
      d.push_back(o.at("done_logit"));
    }
    return loss.run({{"logit_pi", at::stack(pi, 1)}, {"mu", at::stack(mu, 1)}, {"log_sigma", at::stack(ls, 1)},
                     {"target", z.slice(1, 1)}, {"reward_pred", at::stack(r, 1)}, {"reward", reward},
                     {"done_logit", at::stack(d, 1)}, {"done", done}});
  };

  double first_nll = 0, first_loss = 0, last_nll = 0, last_loss = 0;
  for (int step = 0; step <= 100; ++step) {
    auto out = unroll();
    if (step == 0) {
      first_nll = out.at("nll").item<double>();
      first_loss = out.at("loss").item<double>();
    }
    last_nll = out.at("nll").item<double>();
    last_loss = out.at("loss").item<double>();
    if (step == 100) break;  // the 101st evaluation measures the result of 100 updates
    adam.zero_grad();
    out.at("loss").backward();
    adam.step();
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "mdn fit: nll " << first_nll << " -> " << last_nll << ", loss " << first_loss << " -> " << last_loss
            << " after 100 Adam steps in " << secs << " s\n";
  RecordProperty("nll_before", std::to_string(first_nll));
  RecordProperty("nll_after", std::to_string(last_nll));
  EXPECT_TRUE(std::isfinite(last_nll));
  EXPECT_LT(last_nll, first_nll - 0.5);
  EXPECT_LT(last_loss, first_loss);
  EXPECT_LT(secs, 10.0);
}

}  // namespace
