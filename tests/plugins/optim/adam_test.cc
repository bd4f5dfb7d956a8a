#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

// A least-squares problem y = X w* + b* for a Linear(3, 1).
struct Problem {
  at::Tensor x = at::randn({32, 3});
  at::Tensor y = at::matmul(x, at::tensor({1.f, -2.f, 0.5f}).view({3, 1})) + 0.3f;
  at::Tensor loss(torch::nn::Linear& lin) const { return (lin(x) - y).square().mean(); }
};

TEST(OptimAdam, MinimizesAQuadratic) {
  torch::nn::Linear lin(3, 1);
  TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"lin"})}, {"lr", 0.05}}, {{"lin", lin.get()}});
  Problem pb;
  const double first = pb.loss(lin).item<double>();
  for (int i = 0; i < 300; ++i) adam.run({{"loss", pb.loss(lin)}});
  EXPECT_LT(pb.loss(lin).item<double>(), 1e-3 * first);
}

TEST(OptimAdam, GradNormIsTheNormBeforeClipping) {
  torch::nn::Linear lin(3, 1);
  TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"lin"})}, {"clip", 1e-3}}, {{"lin", lin.get()}});
  Problem pb;
  auto loss = pb.loss(lin);
  auto grads = torch::autograd::grad({loss}, lin->parameters(), {}, /*retain_graph=*/true);
  const double want = std::sqrt(grads[0].square().sum().item<double>() + grads[1].square().sum().item<double>());
  auto out = adam.run({{"loss", loss}}).at("grad_norm");
  EXPECT_EQ(out.dim(), 0);
  EXPECT_FALSE(out.requires_grad());
  EXPECT_NEAR(out.item<double>(), want, 1e-5 * want);
  // The grads left on the weights are the clipped ones.
  double clipped = 0;
  for (const auto& p : lin->parameters()) clipped += p.grad().square().sum().item<double>();
  EXPECT_NEAR(std::sqrt(clipped), 1e-3, 1e-6);
}

// With a large eps, Adam's step is ~ lr * g / eps, so clipping g shrinks the update.
TEST(OptimAdam, ClippingLimitsTheUpdate) {
  auto step_size = [](double clip) {
    torch::manual_seed(0);
    torch::nn::Linear lin(3, 1);
    TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"lin"})}, {"eps", 1e3}, {"clip", clip}}, {{"lin", lin.get()}});
    auto before = lin->weight.detach().clone();
    torch::manual_seed(1);
    Problem pb;
    adam.run({{"loss", pb.loss(lin)}});
    return (lin->weight.detach() - before).norm().item<double>();
  };
  const double free = step_size(0.0), clipped = step_size(1e-2);
  EXPECT_GT(free, 0.0);
  EXPECT_LT(clipped, 0.1 * free);
}

TEST(OptimAdam, ClearsStaleGradientsOfItsWeights) {
  torch::nn::Linear lin(3, 1);
  TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"lin"})}, {"lr", 0.0}}, {{"lin", lin.get()}});
  Problem pb;
  pb.loss(lin).backward();  // a stale gradient, e.g. from another loss sharing the weights
  auto loss = pb.loss(lin);
  auto grads = torch::autograd::grad({loss}, lin->parameters(), {}, true);
  adam.run({{"loss", loss}});
  EXPECT_TRUE(at::allclose(lin->weight.grad(), grads[0]));
}

TEST(OptimAdam, RejectsBlocksWithoutWeightsAndBadParams) {
  torch::nn::Linear lin(3, 1);
  torch::nn::Module empty;
  EXPECT_THROW(TestNode("optim.adam", {{"blocks", nlohmann::json::array({"lin", "none"})}}, {{"lin", lin.get()}, {"none", &empty}}),
               std::invalid_argument);
  EXPECT_THROW(TestNode("optim.adam", {{"lr", 0.1}}, {{"lin", lin.get()}}), std::invalid_argument);
  EXPECT_THROW(TestNode("optim.adam", {{"blocks", nlohmann::json::array({"lin"})}, {"clip", -1.0}}, {{"lin", lin.get()}}),
               std::invalid_argument);
}

TEST(OptimAdam, RejectsALossWithoutGradient) {
  torch::nn::Linear lin(3, 1);
  TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"lin"})}}, {{"lin", lin.get()}});
  EXPECT_THROW(adam.run({{"loss", at::scalar_tensor(1.0)}}), std::invalid_argument);
}

}  // namespace
