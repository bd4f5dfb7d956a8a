#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;

// Dreamer's layout: frame t of the video has truth, model and error stacked along the height and
// sequence i at columns [i W, (i + 1) W).
TEST(VizCompareVideo, StacksTruthModelErrorAndLaysSequencesSideBySide) {
  TestNode node("viz.compare_video", {{"batch", 2}});
  const auto truth = at::rand({3, 4, 5, 6, 3}) - 0.5;
  const auto model = at::rand({3, 4, 5, 6, 3}) - 0.5;
  const auto v = node.run({{"truth", truth}, {"model", model}}).at("video");
  ASSERT_EQ(v.sizes(), (std::vector<int64_t>{4, 15, 12, 3}));
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t t = 0; t < 4; ++t) {
      const auto cell = v[t].narrow(1, i * 6, 6);
      EXPECT_TRUE(at::allclose(cell.narrow(0, 0, 5), truth[i][t] + 0.5));
      EXPECT_TRUE(at::allclose(cell.narrow(0, 5, 5), model[i][t] + 0.5));
      EXPECT_TRUE(at::allclose(cell.narrow(0, 10, 5), (model[i][t] - truth[i][t] + 1) / 2));
    }
}

TEST(VizCompareVideo, ClipsToTheUnitRangeAndChecksShapes) {
  TestNode node("viz.compare_video");
  const auto v = node.run({{"truth", at::full({1, 2, 4, 4, 3}, 3.0)}, {"model", at::full({1, 2, 4, 4, 3}, -3.0)}}).at("video");
  EXPECT_EQ(v.max().item<float>(), 1.f);
  EXPECT_EQ(v.min().item<float>(), 0.f);
  EXPECT_THROW(node.run({{"truth", at::zeros({1, 2, 4, 4, 3})}, {"model", at::zeros({1, 3, 4, 4, 3})}}), std::exception);
}

}  // namespace
