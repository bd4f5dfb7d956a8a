#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

TEST(NnGruCell, Shapes) {
  TestNode cell("nn.gru_cell", {{"in_dim", 3}, {"hidden", 5}});
  auto h = cell.run({{"x", at::randn({4, 3})}, {"h", at::zeros({4, 5})}}).at("h_next");
  EXPECT_EQ(h.sizes(), (Sizes{4, 5}));
  EXPECT_EQ(cell.run({{"x", at::randn({1, 3})}, {"h", at::zeros({1, 5})}}).at("h_next").sizes(), (Sizes{1, 5}));
}

TEST(NnGruCell, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("nn.gru_cell", {{"hidden", 5}}), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.gru_cell", {{"in_dim", 3}, {"hidden", 0}}), std::invalid_argument);
}

TEST(NnGruCell, MatchesGruEquations) {
  TestNode cell("nn.gru_cell", {{"in_dim", 3}, {"hidden", 5}});
  auto p = cell.module()->named_parameters();
  auto x = at::randn({2, 3}), h = at::randn({2, 5});
  // Gates in torch's order (reset, update, new), reset applied to the recurrent term.
  auto gi = at::linear(x, p["weight_ih"], p["bias_ih"]).chunk(3, 1);
  auto gh = at::linear(h, p["weight_hh"], p["bias_hh"]).chunk(3, 1);
  auto r = at::sigmoid(gi[0] + gh[0]);
  auto z = at::sigmoid(gi[1] + gh[1]);
  auto n = at::tanh(gi[2] + r * gh[2]);
  auto expected = (1 - z) * n + z * h;
  EXPECT_TRUE(at::allclose(cell.run({{"x", x}, {"h", h}}).at("h_next"), expected, 1e-5, 1e-6));
}

TEST(NnGruCell, GradientMatchesFiniteDifferences) {
  TestNode cell("nn.gru_cell", {{"in_dim", 3}, {"hidden", 4}});
  cell.to_double();
  auto f = [&](const std::vector<at::Tensor>& in) { return cell.run({{"x", in[0]}, {"h", in[1]}}).at("h_next"); };
  auto x = at::randn({2, 3}, at::kDouble).requires_grad_();
  auto h = at::randn({2, 4}, at::kDouble).requires_grad_();
  EXPECT_LT(lf::testing::gradient_error(f, {x, h}), 1e-6);
}

}  // namespace
