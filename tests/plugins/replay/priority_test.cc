// replay.sample with priority_alpha > 0 and replay.set_priority: TD-MPC's prioritized replay.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "script.h"
#include "support/node_harness.h"

namespace priority_test {

using lf::testing::error_of;
using lf::testing::TestNode;
using lf::testing::TestRefs;
using replay_test::Script;
using replay_test::state_of;

constexpr int64_t kLength = 3;

TestNode prioritized(TestNode& buffer, int64_t batch, double alpha = 1.0, double beta = 0.5, uint64_t seed = 1) {
  TestRefs refs;
  refs.nodes["replay"] = &buffer.node();
  refs.seed = seed;
  return TestNode("replay.sample",
                  {{"buffer", "replay"}, {"batch", batch}, {"length", kLength}, {"priority_alpha", alpha},
                   {"priority_beta", beta}},
                  refs);
}

TestNode setter(TestNode& sampler) {
  TestRefs refs;
  refs.nodes["sample"] = &sampler.node();
  return TestNode("replay.set_priority", {{"sampler", "sample"}}, refs);
}

// One episode of 6 steps: 4 windows of 3 steps, ids serial 0 * 2^32 + start.
TEST(ReplayPriority, DrawsInProportionToPriorityToTheAlphaWithImportanceWeights) {
  TestNode replay("replay.episodes");
  Script({{6}}).play(replay, 6);
  auto sample = prioritized(replay, 20000, /*alpha=*/0.5, /*beta=*/0.4);
  auto set = setter(sample);
  // new windows start at priority 1: uniform
  auto out = sample.run({});
  EXPECT_TRUE(at::equal(out.at("weight"), at::ones({20000})));
  // priorities 1, 4, 9, 16 -> p^0.5 = 1, 2, 3, 4 -> P = 0.1, 0.2, 0.3, 0.4
  set.run({{"index", at::tensor({0, 1, 2, 3}, at::kLong)}, {"priority", at::tensor({1.f, 4.f, 9.f, 16.f})}});
  out = sample.run({});
  const auto index = out.at("index");
  for (int64_t start = 0; start < 4; ++start) {
    const double share = (index == start).to(at::kDouble).mean().item<double>();
    EXPECT_NEAR(share, 0.1 * (start + 1), 0.012) << "window " << start;
  }
  // weights (N P)^-beta / max: the rarest window (P 0.1) has weight 1, P 0.4 has 4^-0.4
  const auto w = out.at("weight");
  const auto rare = (index == 0), common = (index == 3);
  EXPECT_NEAR(w.masked_select(rare).mean().item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(w.masked_select(common).mean().item<double>(), std::pow(4.0, -0.4), 1e-5);
  // the windows are the right ones: obs of step `start` of episode 0 (script.h values)
  const auto obs = out.at("obs");
  for (int64_t b = 0; b < 5; ++b)
    EXPECT_EQ(obs[b][0][0].item<float>(), replay_test::value_of(0, index[b].item<int64_t>()));
}

TEST(ReplayPriority, NewEpisodesStartAtTheHighestPriorityAndEvictedOnesAreForgotten) {
  TestNode replay("replay.episodes", {{"capacity", 12}});
  Script script({{6, 6, 6}});
  script.play(replay, 6);
  auto sample = prioritized(replay, 4000);
  auto set = setter(sample);
  sample.run({});
  set.run({{"index", at::tensor({0, 1, 2, 3}, at::kLong)}, {"priority", at::tensor({0.f, 0.f, 0.f, 3.f})}});
  script.play(replay, 6);  // episode 1: its windows start at priority 3 (+1e-6 of window 3)
  auto out = sample.run({});
  const auto episode = out.at("index").div(int64_t{1} << 32, "floor");
  // episode 0 holds 3 + 3e-6 in all, episode 1 4 x 3: a share of ~0.2 for episode 0
  EXPECT_NEAR((episode == 0).to(at::kDouble).mean().item<double>(), 0.2, 0.03);
  script.play(replay, 6);  // episode 2 evicts episode 0 (capacity 12 steps)
  out = sample.run({});
  EXPECT_FALSE((out.at("index").div(int64_t{1} << 32, "floor") == 0).any().item<bool>());
  // a priority for a window of the evicted episode is ignored
  set.run({{"index", at::tensor({2}, at::kLong)}, {"priority", at::tensor({5.f})}});
}

TEST(ReplayPriority, CheckpointRestoresPrioritiesAndDraws) {
  TestNode replay("replay.episodes");
  Script({{6, 5}}).play(replay, 11);
  auto sample = prioritized(replay, 8, 0.6, 0.4, 3);
  setter(sample).run({{"index", at::tensor(std::vector<int64_t>{0, 2, (int64_t{1} << 32) + 1})},
                      {"priority", at::tensor({0.5f, 7.f, 2.f})}});
  const auto saved = state_of(sample);
  const auto replay_saved = state_of(replay);
  const auto next = sample.run({});
  TestNode replay2("replay.episodes");
  replay2.node().load_state(replay_saved);
  auto twin = prioritized(replay2, 8, 0.6, 0.4, 99);
  twin.node().load_state(saved);
  const auto again = twin.run({});
  EXPECT_TRUE(at::equal(next.at("index"), again.at("index")));
  EXPECT_TRUE(at::equal(next.at("weight"), again.at("weight")));
  EXPECT_TRUE(at::equal(next.at("obs"), again.at("obs")));
}

TEST(ReplayPriority, RejectsBadPrioritiesAndSamplers) {
  TestNode replay("replay.episodes");
  Script({{6}}).play(replay, 6);
  auto sample = prioritized(replay, 4);
  auto set = setter(sample);
  EXPECT_NE(error_of([&] { set.run({{"index", at::tensor({0}, at::kLong)}, {"priority", at::tensor({-1.f})}}); })
                .find("not a finite value >= 0"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              set.run({{"index", at::tensor({0}, at::kLong)}, {"priority", at::tensor({std::nanf("")})}});
            }).find("not a finite value"),
            std::string::npos);
  TestRefs refs;
  refs.nodes["replay"] = &replay.node();
  TestNode uniform("replay.sample", {{"buffer", "replay"}, {"batch", 2}, {"length", kLength}}, refs);
  auto set_uniform = setter(uniform);
  EXPECT_NE(error_of([&] { set_uniform.run({{"index", at::tensor({0}, at::kLong)}, {"priority", at::tensor({1.f})}}); })
                .find("draws uniformly"),
            std::string::npos);
  TestRefs not_a_sampler;
  not_a_sampler.nodes["sample"] = &replay.node();
  EXPECT_NE(error_of([&] { TestNode("replay.set_priority", {{"sampler", "sample"}}, not_a_sampler); })
                .find("is not a replay.sample block"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              TestNode("replay.sample",
                       {{"buffer", "replay"}, {"length", kLength}, {"start", "first"}, {"priority_alpha", 0.6}}, refs);
            }).find("need start \"any\""),
            std::string::npos);
}

}  // namespace priority_test
