#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "script.h"
#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using lf::testing::TestRefs;
using replay_test::Script;
using replay_test::state_of;
using Sizes = std::vector<int64_t>;

// A sampler of `buffer`, which the graph would name "replay".
TestNode sampler(TestNode& buffer, int64_t batch, int64_t length, uint64_t seed = 1) {
  TestRefs refs;
  refs.nodes["replay"] = &buffer.node();
  refs.seed = seed;
  return TestNode("replay.sample", {{"buffer", "replay"}, {"batch", batch}, {"length", length}}, refs);
}

std::string error_of(TestNode& node) {
  try {
    node.run({});
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

TEST(ReplaySample, ShapesAndDtypes) {
  TestNode replay("replay.episodes");
  for (int64_t t = 0; t < 12; ++t)
    replay.run({{"obs", at::randint(256, {2, 8, 8, 3}, at::kByte)},
                {"action", at::rand({2, 4})},
                {"reward", at::rand({2})},
                {"first", at::full({2}, t == 0 ? 1.f : 0.f)},
                {"last", at::full({2}, t == 11 ? 1.f : 0.f)}});
  auto s = sampler(replay, 5, 7);
  auto out = s.run({});
  EXPECT_EQ(out.at("obs").sizes(), (Sizes{5, 7, 8, 8, 3}));
  EXPECT_EQ(out.at("obs").scalar_type(), at::kByte);
  EXPECT_EQ(out.at("action").sizes(), (Sizes{5, 7, 4}));
  EXPECT_EQ(out.at("reward").sizes(), (Sizes{5, 7}));
  EXPECT_EQ(out.at("first").sizes(), (Sizes{5, 7}));
  for (const char* k : {"action", "reward", "first"}) EXPECT_EQ(out.at(k).scalar_type(), at::kFloat) << k;
}

// Every window is `length` consecutive steps of one committed episode: obs, action, reward and
// first agree with the scripted values (script.h).
TEST(ReplaySample, WindowsAreConsecutiveStepsOfOneEpisode) {
  TestNode replay("replay.episodes");
  Script script({{60, 150, 20}, {75, 33}});
  script.play(replay, 230);
  const std::map<int64_t, int64_t> length_of{{0, 60}, {1, 150}, {2, 20}, {100, 75}, {101, 33}};
  const int64_t len = 30;
  auto s = sampler(replay, 64, len);
  std::set<int64_t> seen;
  const auto t = at::arange(len, at::kFloat);
  for (int call = 0; call < 20; ++call) {
    auto out = s.run({});
    for (int64_t b = 0; b < 64; ++b) {
      const auto obs = out.at("obs")[b], action = out.at("action")[b], reward = out.at("reward")[b],
                 first = out.at("first")[b];
      const float v0 = obs[0][0].item<float>();
      const int64_t id = static_cast<int64_t>(v0) / 1000, start = static_cast<int64_t>(v0) % 1000;
      ASSERT_TRUE(length_of.count(id)) << v0;
      seen.insert(id);
      EXPECT_LE(start + len, length_of.at(id)) << "window leaves episode " << id;
      EXPECT_TRUE(at::equal(obs.select(1, 0), t + v0)) << "not consecutive: episode " << id;
      EXPECT_TRUE(at::equal(obs.select(1, 1), -(t + v0)));
      auto want_first = at::zeros({len});
      if (start == 0) want_first[0] = 1.f;
      EXPECT_TRUE(at::equal(first, want_first));
      auto want_action = t + v0 + 0.5f, want_reward = t + v0 + 0.25f;
      if (start == 0) {
        want_action[0] = 0.f;
        want_reward[0] = 0.f;
        EXPECT_EQ(action[0][1].item<float>(), 0.f);
      }
      EXPECT_TRUE(at::equal(action.select(1, 0), want_action));
      EXPECT_TRUE(at::equal(reward, want_reward));
    }
  }
  // The 20-step episode is too short for a window; the 33-step one offers 4 of 202.
  EXPECT_EQ(seen, (std::set<int64_t>{0, 1, 100, 101}));
}

// Windows are uniform over all windows, not over episodes: episodes of 60 and 150 steps offer 11
// and 101 windows of 50 steps.
TEST(ReplaySample, WindowsAreDrawnUniformly) {
  TestNode replay("replay.episodes");
  Script({{60, 150}}).play(replay, 210);
  auto s = sampler(replay, 50, 50, 5);
  std::vector<int64_t> starts_short(11, 0), starts_long(101, 0);
  int64_t n = 0;
  for (int call = 0; call < 200; ++call) {
    auto v0 = s.run({}).at("obs").select(1, 0).select(1, 0);
    for (int64_t b = 0; b < v0.size(0); ++b, ++n) {
      const auto v = static_cast<int64_t>(v0[b].item<float>());
      (v / 1000 == 0 ? starts_short : starts_long).at(v % 1000) += 1;
    }
  }
  int64_t short_count = 0;
  for (auto c : starts_short) short_count += c;
  const double p = 11.0 / 112.0, sd = std::sqrt(p * (1 - p) / n);
  EXPECT_NEAR(static_cast<double>(short_count) / n, p, 5 * sd);
  // Every start is drawn, none far more than its share (n / 112 = 89 expected each).
  for (auto* starts : {&starts_short, &starts_long})
    for (size_t k = 0; k < starts->size(); ++k) {
      EXPECT_GT((*starts)[k], 40) << "start " << k;
      EXPECT_LT((*starts)[k], 150) << "start " << k;
    }
}

// start = first: every window begins an episode, and the episodes long enough are drawn equally
// often whatever their lengths (60 and 150 steps here, 11 and 101 windows of 50).
TEST(ReplaySample, FirstStartsEveryWindowAtAnEpisodeStartEpisodesUniform) {
  TestNode replay("replay.episodes");
  Script({{60, 150, 20}}).play(replay, 230);
  TestRefs refs;
  refs.nodes["replay"] = &replay.node();
  TestNode s("replay.sample", {{"buffer", "replay"}, {"batch", 50}, {"length", 50}, {"start", "first"}}, refs);
  int64_t short_count = 0, n = 0;
  for (int call = 0; call < 40; ++call) {
    const auto out = s.run({});
    EXPECT_TRUE(at::equal(out.at("first").select(1, 0), at::ones({50})));
    const auto v0 = out.at("obs").select(1, 0).select(1, 0);
    for (int64_t b = 0; b < 50; ++b, ++n) {
      const auto v = static_cast<int64_t>(v0[b].item<float>());
      EXPECT_EQ(v % 1000, 0) << "a window that does not start its episode";
      EXPECT_NE(v / 1000, 2) << "the 20-step episode is too short";
      short_count += v / 1000 == 0;
    }
  }
  EXPECT_NEAR(static_cast<double>(short_count) / n, 0.5, 5 * std::sqrt(0.25 / n));
}

TEST(ReplaySample, TooLittleDataIsAnErrorUntilALongEnoughEpisodeArrives) {
  TestNode replay("replay.episodes");
  auto s = sampler(replay, 4, 50);
  EXPECT_EQ(error_of(s), "replay.sample: replay holds 0 episodes, the longest 0 steps; a window needs `length` = 50 steps");
  Script script({{30, 40, 50}});
  script.play(replay, 70);
  EXPECT_EQ(error_of(s), "replay.sample: replay holds 2 episodes, the longest 40 steps; a window needs `length` = 50 steps");
  script.play(replay, 50);
  auto obs = s.run({}).at("obs");
  EXPECT_TRUE(obs.select(1, 0).select(1, 0).eq(2000).all().item<bool>());  // the only window
}

TEST(ReplaySample, BufferMustBeAReplayEpisodesBlock) {
  TestNode other("data.oscillator");
  TestRefs refs;
  refs.nodes["osc"] = &other.node();
  try {
    TestNode("replay.sample", {{"buffer", "osc"}}, refs);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "replay.sample: buffer 'osc' is not a replay.episodes block");
  }
  EXPECT_THROW(TestNode("replay.sample", {{"batch", 4}}, refs), std::invalid_argument);  // no buffer
  TestNode replay("replay.episodes");
  refs.nodes["replay"] = &replay.node();
  EXPECT_THROW(TestNode("replay.sample", {{"buffer", "replay"}, {"batch", 0}}, refs), std::invalid_argument);
  EXPECT_THROW(TestNode("replay.sample", {{"buffer", "replay"}, {"length", 0}}, refs), std::invalid_argument);
}

// A resumed run (buffer and generator restored) draws exactly the windows the original would have.
TEST(ReplaySample, SaveAndLoadContinueTheSameDraws) {
  TestNode replay("replay.episodes");
  Script({{60, 150}, {80}}).play(replay, 210);
  auto original = sampler(replay, 8, 20, 3);
  original.run({});
  const auto saved = state_of(original);
  const auto expected = original.run({});

  TestNode restored_buffer("replay.episodes");
  restored_buffer.node().load_state(state_of(replay));
  auto other_seed = sampler(restored_buffer, 8, 20, 11);
  auto restored = sampler(restored_buffer, 8, 20, 11);
  restored.node().load_state(saved);
  const auto resumed = restored.run({});
  for (const char* k : {"obs", "action", "reward", "first"}) EXPECT_TRUE(at::equal(resumed.at(k), expected.at(k))) << k;
  EXPECT_FALSE(at::equal(other_seed.run({}).at("obs"), expected.at("obs")));
  EXPECT_THROW(restored.node().load_state({}), std::invalid_argument);
}

}  // namespace
