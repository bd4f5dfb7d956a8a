#include <gtest/gtest.h>

#include <string>

#include <ATen/ATen.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

#include "support/node_harness.h"

namespace {

using lf::testing::error_of;
using lf::testing::TestNode;
using nlohmann::json;

json params(json blocks, json targets, double tau = 0.25) {
  return {{"blocks", std::move(blocks)}, {"targets", std::move(targets)}, {"tau", tau}};
}

TEST(OptimEma, CopiesAtBuildThenMovesTauTowardTheSource) {
  torch::nn::Linear online(3, 2), target(3, 2);
  ASSERT_FALSE(at::equal(online->weight, target->weight));
  TestNode ema("optim.ema", params({"online"}, {"target"}), {{"online", online.get()}, {"target", target.get()}});
  EXPECT_TRUE(at::equal(online->weight, target->weight));
  EXPECT_TRUE(at::equal(online->bias, target->bias));
  EXPECT_FALSE(target->weight.is_same(online->weight));  // copied, not shared

  const auto before = target->weight.detach().clone();
  {
    at::NoGradGuard no_grad;
    online->weight.add_(1.0);  // an optimizer step moved the online weights
  }
  ema.run({});
  // target <- target + 0.25 (source - target) = before + 0.25 * 1
  EXPECT_TRUE(at::allclose(target->weight, before + 0.25)) << target->weight - before;
  ema.run({});
  EXPECT_TRUE(at::allclose(target->weight, before + 0.25 + 0.75 * 0.25));
  EXPECT_FALSE(target->weight.requires_grad() && target->weight.grad_fn());  // no autograd history
}

TEST(OptimEma, PairsSeveralBlocksInOrder) {
  torch::nn::Linear a(2, 2), b(4, 1), ta(2, 2), tb(4, 1);
  TestNode ema("optim.ema", params({"a", "b"}, {"ta", "tb"}, 1.0),
               {{"a", a.get()}, {"b", b.get()}, {"ta", ta.get()}, {"tb", tb.get()}});
  {
    at::NoGradGuard no_grad;
    b->bias.fill_(7);
  }
  ema.run({});  // tau 1: a hard copy
  EXPECT_TRUE(at::equal(tb->bias, b->bias));
  EXPECT_TRUE(at::equal(ta->weight, a->weight));
}

TEST(OptimEma, RejectsTargetsThatDoNotMatch) {
  torch::nn::Linear a(2, 2), wide(2, 3);
  torch::nn::Sequential two(torch::nn::Linear(2, 2), torch::nn::Linear(2, 2));
  const std::map<std::string, torch::nn::Module*> mods = {{"a", a.get()}, {"wide", wide.get()}, {"two", two.get()}};
  EXPECT_NE(error_of([&] { TestNode("optim.ema", params({"a"}, {"wide"}), mods); })
                .find("target 'wide' has weight [3, 2] where block 'a' has weight [2, 2]"),
            std::string::npos);
  EXPECT_NE(error_of([&] { TestNode("optim.ema", params({"a"}, {"two"}), mods); }).find("has 4 weight tensors"),
            std::string::npos);
  EXPECT_NE(error_of([&] { TestNode("optim.ema", params({"a", "wide"}, {"a"}), mods); }).find("one target per block"),
            std::string::npos);
  EXPECT_NE(error_of([&] { TestNode("optim.ema", params({"a"}, {"a"}), mods); }).find("its own target"),
            std::string::npos);
  EXPECT_NE(error_of([&] { TestNode("optim.ema", params({"a"}, {"a"}, 0.0), mods); }).find("tau"), std::string::npos);
}

}  // namespace
