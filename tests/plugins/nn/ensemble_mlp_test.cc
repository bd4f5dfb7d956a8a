// nn.ensemble_mlp: K independent MLPs computed together; each member matches its own weights
// applied by hand; dropout only in calls that record gradients, drawn per member; zero outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace ensemble_mlp_test {

using lf::testing::TestNode;
using Sizes = std::vector<int64_t>;

nlohmann::json params(nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json p = {{"members", 3}, {"in_dim", 4}, {"out_dim", 5}, {"hidden", {8, 6}}};
  p.update(extra);
  return p;
}

TEST(NnEnsembleMlp, EachMemberIsItsOwnNormedMlp) {
  TestNode qs("nn.ensemble_mlp", params());
  auto p = qs.module()->named_parameters();
  EXPECT_EQ(p.size(), 3u * 2 + 2u * 2);  // weights and biases of 3 layers, norms of 2
  EXPECT_EQ(p["w0"].sizes(), (Sizes{3, 4, 8}));
  const auto x = at::randn({2, 7, 4});
  at::Tensor y;
  {
    at::NoGradGuard no_grad;  // no dropout either way; an evaluation call
    y = qs.run({{"x", x}}).at("y");
  }
  ASSERT_EQ(y.sizes(), (Sizes{3, 2, 7, 5}));
  for (int64_t k = 0; k < 3; ++k) {
    at::Tensor h = x;
    for (int i = 0; i < 2; ++i) {
      const auto n = std::to_string(i);
      h = at::matmul(h, p["w" + n][k]) + p["b" + n][k][0];
      h = at::mish(at::layer_norm(h, {h.size(-1)}) * p["norm" + n + "_scale"][k][0] + p["norm" + n + "_offset"][k][0]);
    }
    const auto expected = at::matmul(h, p["w2"][k]) + p["b2"][k][0];
    EXPECT_TRUE(at::allclose(y[k], expected, 1e-5, 1e-6)) << "member " << k;
  }
  EXPECT_FALSE(at::allclose(y[0], y[1]));  // independently initialized
}

TEST(NnEnsembleMlp, DropoutOnlyWhileTrainingAndPerMember) {
  TestNode qs("nn.ensemble_mlp", params({{"dropout", 0.5}, {"layer_norm", false}, {"activation", "relu"}}));
  const auto x = at::randn({1, 64, 4}).expand({1, 64, 4});
  at::Tensor a, b;
  {
    at::NoGradGuard no_grad;
    a = qs.run({{"x", x}}).at("y");
    b = qs.run({{"x", x}}).at("y");
  }
  EXPECT_TRUE(at::equal(a, b));  // evaluation: deterministic
  const auto t1 = qs.run({{"x", x}}).at("y"), t2 = qs.run({{"x", x}}).at("y");
  EXPECT_FALSE(at::allclose(t1, a));
  EXPECT_FALSE(at::allclose(t1, t2));  // fresh masks each training call
  lf::TensorDict state;
  qs.node().save_state(state);
  ASSERT_EQ(state.count("generator"), 1u);
}

TEST(NnEnsembleMlp, ZeroOutAndTruncatedNormalInit) {
  TestNode qs("nn.ensemble_mlp", params({{"zero_out", true}, {"hidden", {256}}, {"in_dim", 64}}));
  auto p = qs.module()->named_parameters();
  EXPECT_TRUE(at::equal(qs.run({{"x", at::randn({3, 64})}}).at("y"), at::zeros({3, 3, 5})));
  EXPECT_NEAR(p["w0"].std().item<double>(), 0.02, 0.001);
  EXPECT_TRUE(at::equal(p["b0"], at::zeros({3, 1, 256})));
}

TEST(NnEnsembleMlp, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("nn.ensemble_mlp", params({{"members", 0}})), std::invalid_argument);
  EXPECT_THROW(TestNode("nn.ensemble_mlp", params({{"dropout", 1.0}})), std::invalid_argument);
}

}  // namespace ensemble_mlp_test
