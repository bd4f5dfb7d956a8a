#include <gtest/gtest.h>

#include <cmath>
#include <string>
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

// Two blocks in a chain, x -> a -> b -> loss, as an actor (a) feeding a world model (b) or a
// world model (a) feeding a head (b).
struct Chain {
  torch::nn::Linear a{3, 4}, b{4, 1};
  at::Tensor x = at::randn({16, 3});
  at::Tensor loss() { return b(a(x)).square().mean(); }
};

at::Tensor copy(const at::Tensor& t) { return t.detach().clone(); }

TEST(OptimAdam, StepsOnlyItsBlockDownstreamAndLeavesUpstreamGradsAlone) {
  Chain c;
  const auto stale = at::full({4, 3}, 7.f);  // a's grad from another loss, e.g. a's own optimizer
  c.a->weight.mutable_grad() = stale.clone();
  const auto a_before = copy(c.a->weight), b_before = copy(c.b->weight);
  TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"b"})}}, {{"b", c.b.get()}});
  auto loss = c.loss();
  auto want = torch::autograd::grad({loss}, c.b->parameters(), {}, /*retain_graph=*/true);
  const auto norm = adam.run({{"loss", loss}}).at("grad_norm");
  EXPECT_NEAR(norm.item<double>(), std::sqrt(want[0].square().sum().item<double>() + want[1].square().sum().item<double>()),
              1e-6);
  EXPECT_TRUE(at::equal(c.a->weight, a_before));
  EXPECT_TRUE(at::equal(c.a->weight.grad(), stale));
  EXPECT_FALSE(c.a->bias.grad().defined());
  EXPECT_FALSE(at::equal(c.b->weight, b_before));
  EXPECT_TRUE(at::allclose(c.b->weight.grad(), want[0]));
}

// The actor's update through the world model: the gradient flows through b's ops into a, but b's
// weights get no gradient and keep the one they had.
TEST(OptimAdam, StepsOnlyItsBlockUpstreamAndComputesNoGradForTheBlockItFlowsThrough) {
  Chain c;
  const auto stale = at::full({1, 4}, 7.f);
  c.b->weight.mutable_grad() = stale.clone();
  const auto a_before = copy(c.a->weight), b_before = copy(c.b->weight);
  TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"a"})}}, {{"a", c.a.get()}});
  auto loss = c.loss();
  auto want = torch::autograd::grad({loss}, c.a->parameters(), {}, /*retain_graph=*/true);
  adam.run({{"loss", loss}});
  EXPECT_TRUE(at::allclose(c.a->weight.grad(), want[0]));
  EXPECT_TRUE(at::allclose(c.a->bias.grad(), want[1]));
  EXPECT_FALSE(at::equal(c.a->weight, a_before));
  EXPECT_TRUE(at::equal(c.b->weight, b_before));
  EXPECT_TRUE(at::equal(c.b->weight.grad(), stale));
  EXPECT_FALSE(c.b->bias.grad().defined());
}

// torch's backward with `inputs` leaves an input the loss does not reach without a grad and
// raises nothing, whether or not that weight is in another live graph; the step skips it, weight
// decay included, and it gets no Adam state.
TEST(OptimAdam, AParamTheLossDoesNotReachIsNotStepped) {
  Chain c;
  torch::nn::Linear unused(3, 2), elsewhere(3, 2);
  const auto other_graph = elsewhere(c.x).sum();  // elsewhere's weights sit in a live graph
  const auto unused_before = copy(unused->weight), elsewhere_before = copy(elsewhere->weight);
  TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"a", "unused", "elsewhere"})}, {"weight_decay", 0.1}},
                {{"a", c.a.get()}, {"unused", unused.get()}, {"elsewhere", elsewhere.get()}});
  const auto a_before = copy(c.a->weight);
  for (int i = 0; i < 2; ++i) adam.run({{"loss", c.loss()}});
  EXPECT_FALSE(at::equal(c.a->weight, a_before));
  for (auto* m : {unused.get(), elsewhere.get()})
    for (const auto& p : m->parameters()) EXPECT_FALSE(p.grad().defined());
  EXPECT_TRUE(at::equal(unused->weight, unused_before));
  EXPECT_TRUE(at::equal(elsewhere->weight, elsewhere_before));
  lf::TensorDict state;
  adam.node().save_state(state);
  EXPECT_EQ(state.count("0.step"), 1u);  // a.weight
  EXPECT_EQ(state.count("1.step"), 1u);  // a.bias
  for (int i = 2; i < 6; ++i) EXPECT_EQ(state.count(std::to_string(i) + ".step"), 0u) << i;
  EXPECT_EQ(state.size(), 6u);
  other_graph.backward();  // that graph is intact
  EXPECT_TRUE(elsewhere->weight.grad().defined());
}

TEST(OptimAdam, RejectsBlocksWithoutWeightsAndBadParams) {
  torch::nn::Linear lin(3, 1);
  torch::nn::Module empty;
  EXPECT_THROW(TestNode("optim.adam", {{"blocks", nlohmann::json::array({"lin", "none"})}}, {{"lin", lin.get()}, {"none", &empty}}),
               std::invalid_argument);
  EXPECT_THROW(TestNode("optim.adam", {{"lr", 0.1}}, {{"lin", lin.get()}}), std::invalid_argument);
  EXPECT_THROW(TestNode("optim.adam", {{"blocks", nlohmann::json::array()}}, {{"lin", lin.get()}}), std::invalid_argument);
  EXPECT_THROW(TestNode("optim.adam", {{"blocks", nlohmann::json::array({"lin"})}, {"clip", -1.0}}, {{"lin", lin.get()}}),
               std::invalid_argument);
}

TEST(OptimAdam, RejectsALossWithoutGradient) {
  torch::nn::Linear lin(3, 1);
  TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"lin"})}}, {{"lin", lin.get()}});
  EXPECT_THROW(adam.run({{"loss", at::scalar_tensor(1.0)}}), std::invalid_argument);
}

// TD-MPC2's encoder learns at 0.3 x lr: its first step (|update| = lr for Adam's first step with a
// nonzero gradient) is 0.3 times the other block's.
TEST(OptimAdam, LrScalePerBlock) {
  torch::nn::Linear a(3, 1), b(3, 1);
  TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"a", "b"})}, {"lr", 0.1}, {"lr_scale", {0.3, 1.0}}},
                {{"a", a.get()}, {"b", b.get()}});
  const auto a0 = a->weight.detach().clone(), b0 = b->weight.detach().clone();
  const auto x = at::randn({8, 3});
  adam.run({{"loss", (a(x) + b(x)).square().mean()}});
  EXPECT_TRUE(at::allclose((a->weight - a0).abs(), at::full({1, 3}, 0.03f), 1e-4, 1e-5));
  EXPECT_TRUE(at::allclose((b->weight - b0).abs(), at::full({1, 3}, 0.1f), 1e-4, 1e-5));
  EXPECT_NE(lf::testing::error_of([&] {
              TestNode("optim.adam", {{"blocks", nlohmann::json::array({"a", "b"})}, {"lr_scale", {0.3}}},
                       {{"a", a.get()}, {"b", b.get()}});
            }).find("lr_scale has 1 entries; it needs one per block (2) or none"),
            std::string::npos);
}

// DreamerV2's weight decay: the weights shrink by (1 - shrink) before the Adam step, which with
// lr 0 is the whole change (not lr-scaled, unlike AdamW).
TEST(OptimAdam, ShrinkMultipliesTheWeightsBeforeTheStep) {
  torch::nn::Linear lin(3, 1);
  TestNode adam("optim.adam", {{"blocks", nlohmann::json::array({"lin"})}, {"lr", 0.0}, {"shrink", 0.25}},
                {{"lin", lin.get()}});
  const auto w0 = lin->weight.detach().clone(), b0 = lin->bias.detach().clone();
  adam.run({{"loss", Problem().loss(lin)}});
  EXPECT_TRUE(at::allclose(lin->weight, 0.75 * w0));
  EXPECT_TRUE(at::allclose(lin->bias, 0.75 * b0));
  EXPECT_THROW(TestNode("optim.adam", {{"blocks", nlohmann::json::array({"lin"})}, {"shrink", -0.1}}, {{"lin", lin.get()}}),
               std::invalid_argument);
}

}  // namespace
