// rssm.learned_initial: tanh of its weights on every row of the batch, starting at zero, with the
// gradient of every row reaching the one weight vector.
#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace learned_initial_test {

using lf::testing::TestNode;

TEST(RssmLearnedInitial, TanhOfItsWeightsOnEveryRow) {
  TestNode init("rssm.learned_initial", {{"deter", 4}});
  auto params = init.module()->named_parameters();
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params["initial"].abs().sum().item<float>(), 0.0f);  // the reference starts at zeros
  {
    at::NoGradGuard no_grad;
    params["initial"].copy_(at::tensor({0.5f, -1.0f, 2.0f, 0.0f}));
  }
  const auto h = init.run({{"like", at::zeros({3, 7, 2}, at::kByte)}}).at("h");
  ASSERT_EQ(h.sizes(), (std::vector<int64_t>{3, 4}));
  for (int64_t b = 0; b < 3; ++b) EXPECT_TRUE(at::allclose(h[b], at::tanh(params["initial"]).detach()));
  h.sum().backward();
  const auto w = params["initial"].detach();
  EXPECT_TRUE(at::allclose(params["initial"].grad(), 3 * (1 - at::tanh(w).square())));
}

}  // namespace learned_initial_test
