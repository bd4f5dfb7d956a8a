#include <gtest/gtest.h>

#include <string>

#include <ATen/ATen.h>

#include "support/node_harness.h"

namespace linear_schedule_test {

using lf::testing::error_of;
using lf::testing::TestNode;

TEST(RlLinearSchedule, MovesFromStartToEndOverTheDurationThenStays) {
  TestNode std_schedule("rl.linear_schedule", {{"start", 0.5}, {"end", 0.05}, {"duration", 25000}});
  auto at_step = [&](double step) { return std_schedule.run({{"step", at::scalar_tensor(step)}}).at("value").item<double>(); };
  EXPECT_NEAR(at_step(0), 0.5, 1e-7);
  EXPECT_NEAR(at_step(12500), 0.275, 1e-7);
  EXPECT_NEAR(at_step(25000), 0.05, 1e-7);
  EXPECT_NEAR(at_step(1e6), 0.05, 1e-7);
  EXPECT_NE(error_of([] { TestNode("rl.linear_schedule", {{"start", 1}, {"end", 5}, {"duration", 0}}); })
                .find("duration must be above 0"),
            std::string::npos);
}

}  // namespace linear_schedule_test
