// A node's "compute": "bfloat16" against its float32 self (latentflow/linear.h): the same
// weights, then float32 outputs that differ from float32's (the products did run in bfloat16)
// by no more than bfloat16's operands explain, and float32 gradients on the float32 weights
// that agree as well. Inputs need more than lf::kVectorRows rows (fewer stay float32).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "support/node_harness.h"

namespace lf::testing {

inline double relative_error(const at::Tensor& got, const at::Tensor& want) {
  return ((got - want).norm() / want.norm()).item<double>();
}

inline void expect_bfloat16_matches_float32(const std::string& type, nlohmann::json params,
                                            const std::map<std::string, at::Tensor>& inputs,
                                            const std::string& output) {
  TestNode f32(type, params);
  params["compute"] = "bfloat16";
  TestNode bf16(type, params);
  auto want_params = f32.module()->named_parameters(), got_params = bf16.module()->named_parameters();
  {
    at::NoGradGuard no_grad;
    for (const auto& p : want_params) got_params[p.key()].copy_(p.value());
  }
  const at::Tensor want = f32.run(inputs).at(output), got = bf16.run(inputs).at(output);
  ASSERT_EQ(got.scalar_type(), at::kFloat) << type;
  EXPECT_FALSE(at::equal(got, want)) << type << ": the products did not run in bfloat16";
  EXPECT_LT(relative_error(got, want), 2e-2) << type;
  want.square().sum().backward();
  got.square().sum().backward();
  for (const auto& p : want_params) {
    const at::Tensor& g = got_params[p.key()].grad();
    if (!p.value().grad().defined() || p.value().grad().norm().item<double>() == 0) continue;
    ASSERT_TRUE(g.defined()) << type << " " << p.key();
    EXPECT_EQ(g.scalar_type(), at::kFloat) << type << " " << p.key();
    EXPECT_LT(relative_error(g, p.value().grad()), 5e-2) << type << " " << p.key();
  }
}

}  // namespace lf::testing
