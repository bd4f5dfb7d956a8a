#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "script.h"
#include "support/node_harness.h"

namespace {

using lf::testing::TestNode;
using replay_test::Script;
using replay_test::state_of;
using replay_test::value_of;
using Sizes = std::vector<int64_t>;

int64_t scalar(const std::map<std::string, at::Tensor>& out, const char* k) { return out.at(k).item<int64_t>(); }

// The saved episodes are exactly the scripted ones with these ids and lengths, oldest first.
void expect_episodes(const lf::TensorDict& state, const std::vector<int64_t>& ids, const Sizes& lengths) {
  ASSERT_EQ(state.at("lengths").sizes(), (Sizes{static_cast<int64_t>(lengths.size())}));
  EXPECT_EQ(std::vector<int64_t>(state.at("lengths").data_ptr<int64_t>(),
                                 state.at("lengths").data_ptr<int64_t>() + lengths.size()),
            lengths);
  int64_t start = 0;
  for (size_t k = 0; k < ids.size(); ++k) {
    const int64_t len = lengths[k];
    const auto v = at::arange(len, at::kFloat) + value_of(ids[k], 0);
    const auto obs = state.at("obs").narrow(0, start, len), action = state.at("action").narrow(0, start, len),
               reward = state.at("reward").narrow(0, start, len);
    EXPECT_TRUE(at::equal(obs.select(1, 0), v)) << "episode " << ids[k];
    EXPECT_TRUE(at::equal(obs.select(1, 1), -v)) << "episode " << ids[k];
    // First step: zeros whatever the caller passed; later steps: as passed.
    EXPECT_TRUE(action[0].eq(0).all().item<bool>()) << "episode " << ids[k];
    EXPECT_EQ(reward[0].item<float>(), 0.f) << "episode " << ids[k];
    if (len > 1) {
      EXPECT_TRUE(at::equal(action.narrow(0, 1, len - 1).select(1, 0), v.narrow(0, 1, len - 1) + 0.5f));
      EXPECT_TRUE(action.narrow(0, 1, len - 1).select(1, 1).eq(-1).all().item<bool>());
      EXPECT_TRUE(at::equal(reward.narrow(0, 1, len - 1), v.narrow(0, 1, len - 1) + 0.25f));
    }
    start += len;
  }
  EXPECT_EQ(state.at("obs").size(0), start);
}

// One step of one environment, by hand.
std::map<std::string, at::Tensor> one(float v, bool first, bool last, Sizes obs_shape = {1, 2}) {
  return {{"obs", at::full(obs_shape, v)},
          {"action", at::full({1, 2}, 1.f)},
          {"reward", at::full({1}, 1.f)},
          {"first", at::full({1}, first ? 1.f : 0.f)},
          {"last", at::full({1}, last ? 1.f : 0.f)}};
}

TEST(ReplayEpisodes, EnvironmentsCommitWholeEpisodesWhenTheyEnd) {
  TestNode replay("replay.episodes");
  // env 0: episodes of 5 and 3 steps, env 1: 4 and 7, env 2: 6; then each starts one that never ends.
  Script script({{5, 3}, {4, 7}, {6}});
  auto out = script.play(replay, 3);
  EXPECT_EQ(scalar(out, "steps"), 0);
  EXPECT_EQ(scalar(out, "episodes"), 0);
  out = script.play(replay, 1);  // env 1's first episode ends
  EXPECT_EQ(scalar(out, "steps"), 4);
  EXPECT_EQ(scalar(out, "episodes"), 1);
  out = script.play(replay, 8);
  EXPECT_EQ(scalar(out, "steps"), 4 + 5 + 6 + 3 + 7);
  EXPECT_EQ(scalar(out, "episodes"), 5);
  // In commit order: env 1 at step 3, env 0 at 4, env 2 at 5, env 0 at 7, env 1 at 10.
  expect_episodes(state_of(replay), {100, 0, 200, 1, 101}, {4, 5, 6, 3, 7});
  const auto spec = replay.node().spec();
  EXPECT_EQ(spec.at("steps"), 25);
  EXPECT_EQ(spec.at("episodes"), 5);
  EXPECT_EQ(spec.at("capacity"), 1000000);
  EXPECT_EQ(spec.at("obs_bytes_per_step"), 8);
}

TEST(ReplayEpisodes, AOneStepEpisodeIsCommitted) {
  TestNode replay("replay.episodes");
  auto out = replay.run(one(7000.f, true, true));
  EXPECT_EQ(scalar(out, "steps"), 1);
  EXPECT_EQ(scalar(out, "episodes"), 1);
}

TEST(ReplayEpisodes, AFirstStepDropsTheUnfinishedEpisode) {
  TestNode replay("replay.episodes");
  replay.run(one(1.f, true, false));
  replay.run(one(2.f, false, false));
  replay.run(one(3.f, true, false));  // restarts: the two steps before are dropped
  auto out = replay.run(one(4.f, false, true));
  EXPECT_EQ(scalar(out, "steps"), 2);
  EXPECT_EQ(scalar(out, "episodes"), 1);
  EXPECT_TRUE(at::equal(state_of(replay).at("obs").select(1, 0), at::tensor(std::vector<float>{3.f, 4.f})));
}

TEST(ReplayEpisodes, CapacityDropsTheOldestWholeEpisodes) {
  TestNode replay("replay.episodes", {{"capacity", 10}});
  Script script({{4, 4, 4, 4}});
  auto out = script.play(replay, 8);
  EXPECT_EQ(scalar(out, "steps"), 8);
  out = script.play(replay, 4);  // 12 steps > 10: the first episode goes
  EXPECT_EQ(scalar(out, "steps"), 8);
  EXPECT_EQ(scalar(out, "episodes"), 2);
  expect_episodes(state_of(replay), {1, 2}, {4, 4});
  out = script.play(replay, 4);
  expect_episodes(state_of(replay), {2, 3}, {4, 4});
}

TEST(ReplayEpisodes, TheNewestEpisodeIsKeptEvenPastCapacity) {
  TestNode replay("replay.episodes", {{"capacity", 3}});
  Script script({{5, 4}});
  auto out = script.play(replay, 5);
  EXPECT_EQ(scalar(out, "steps"), 5);
  EXPECT_EQ(scalar(out, "episodes"), 1);
  out = script.play(replay, 4);
  EXPECT_EQ(scalar(out, "steps"), 4);
  expect_episodes(state_of(replay), {1}, {4});
}

TEST(ReplayEpisodes, AStepWithoutAnEpisodeUnderWayIsAnError) {
  TestNode replay("replay.episodes");
  try {
    replay.run(one(1.f, false, false));
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("no episode under way"), std::string::npos) << e.what();
  }
  // After a commit the environment has no episode until its next first step.
  replay.run(one(1.f, true, true));
  EXPECT_THROW(replay.run(one(2.f, false, false)), std::invalid_argument);
}

TEST(ReplayEpisodes, AnErrorLeavesTheBufferAsItWas) {
  TestNode replay("replay.episodes");
  Script script({{3}, {2}});
  script.play(replay, 2);  // env 1 has committed; env 0 is one step from the end of its episode
  auto step = script.step();
  step.at("first")[1] = 0.f;  // env 1 has no episode under way
  EXPECT_THROW(replay.run(step), std::invalid_argument);
  EXPECT_EQ(replay.node().spec().at("steps"), 2);
  step.at("first")[1] = 1.f;
  auto out = replay.run(step);  // env 0's episode is still whole
  EXPECT_EQ(scalar(out, "episodes"), 2);
  expect_episodes(state_of(replay), {100, 0}, {2, 3});
}

TEST(ReplayEpisodes, ShapesAndDtypesMustNotChange) {
  TestNode replay("replay.episodes");
  Script script({{3}, {3}});
  script.play(replay, 1);
  auto step = script.step();
  auto with = [&](const char* k, at::Tensor t) {
    auto s = step;
    s[k] = std::move(t);
    return s;
  };
  try {
    replay.run(with("obs", at::zeros({2, 3})));
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("[2]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[3]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(replay.run(with("obs", at::zeros({2, 2}, at::kDouble))), std::invalid_argument);
  EXPECT_THROW(replay.run(with("action", at::zeros({2, 3}))), std::invalid_argument);
  EXPECT_THROW(replay.run(with("action", at::zeros({2}))), std::invalid_argument);
  EXPECT_THROW(replay.run(with("reward", at::zeros({3}))), std::invalid_argument);
  EXPECT_THROW(replay.run(with("first", at::zeros({2, 1}))), std::invalid_argument);
  EXPECT_THROW(replay.run(with("last", at::zeros({1}))), std::invalid_argument);
  EXPECT_THROW(replay.run(Script({{3}, {3}, {3}}).step()), std::invalid_argument);  // three environments
  replay.run(step);  // the right layout still works
}

TEST(ReplayEpisodes, PixelsStayU8AndCostTheirFrameBytes) {
  TestNode replay("replay.episodes");
  const int64_t envs = 2, length = 30;
  for (int64_t t = 0; t < 3 * length; ++t) {
    const float phase = static_cast<float>(t % length);
    replay.run({{"obs", at::randint(256, {envs, 64, 64, 3}, at::kByte)},
                {"action", at::rand({envs, 6})},
                {"reward", at::rand({envs})},
                {"first", at::full({envs}, phase == 0 ? 1.f : 0.f)},
                {"last", at::full({envs}, phase == length - 1 ? 1.f : 0.f)}});
  }
  const auto spec = replay.node().spec();
  EXPECT_EQ(spec.at("steps"), envs * 3 * length);
  EXPECT_EQ(spec.at("obs_bytes_per_step"), 64 * 64 * 3);
  EXPECT_EQ(spec.at("obs_dtype"), "Byte");
  EXPECT_LE(spec.at("bytes_per_step").get<double>(), 1.1 * 12288);
  EXPECT_GE(spec.at("bytes_per_step").get<double>(), 12288);
  EXPECT_EQ(state_of(replay).at("obs").scalar_type(), at::kByte);
}

TEST(ReplayEpisodes, SaveAndLoadRestoreTheCommittedEpisodes) {
  TestNode replay("replay.episodes", {{"capacity", 100}});
  Script script({{5, 3}, {4, 7}, {6}});
  script.play(replay, 12);
  const auto saved = state_of(replay);

  TestNode fresh("replay.episodes", {{"capacity", 100}});
  fresh.node().load_state(saved);
  EXPECT_EQ(fresh.node().spec(), replay.node().spec());
  expect_episodes(state_of(fresh), {100, 0, 200, 1, 101}, {4, 5, 6, 3, 7});
  // The episodes under way continue where they were: the same next steps give the same buffer.
  Script again = script;
  script.play(replay, 3);
  again.play(fresh, 3);
  const auto a = state_of(replay), b = state_of(fresh);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [key, t] : a) EXPECT_TRUE(t.equal(b.at(key))) << key;
  EXPECT_THROW(fresh.run(one(1.f, true, false, {1, 3})), std::invalid_argument);

  // A smaller capacity drops the oldest episodes on load.
  TestNode small("replay.episodes", {{"capacity", 10}});
  small.node().load_state(saved);
  expect_episodes(state_of(small), {1, 101}, {3, 7});
}

TEST(ReplayEpisodes, AnEpisodeUnderWayIsSavedAndContinued) {
  TestNode replay("replay.episodes");
  replay.run(one(1.f, true, false));
  replay.run(one(2.f, false, false));
  TestNode fresh("replay.episodes");
  fresh.node().load_state(state_of(replay));
  EXPECT_EQ(scalar(fresh.run(one(3.f, false, true)), "steps"), 3);
  const auto saved = state_of(fresh);
  EXPECT_TRUE(saved.at("obs").select(1, 0).equal(at::tensor({1.f, 2.f, 3.f})));
  EXPECT_TRUE(saved.at("pending").equal(at::tensor(Sizes{-1})));  // none under way after the last step
}

TEST(ReplayEpisodes, AnEmptyBufferRoundTrips) {
  TestNode never_ran("replay.episodes"), fresh("replay.episodes");
  fresh.node().load_state(state_of(never_ran));
  EXPECT_EQ(fresh.node().spec().at("steps"), 0);

  TestNode started("replay.episodes");
  started.run(one(1.f, true, false));  // layout known, nothing committed
  fresh.node().load_state(state_of(started));
  EXPECT_EQ(fresh.node().spec().at("obs_shape"), (Sizes{2}));
}

TEST(ReplayEpisodes, LoadStateRejectsWhatDoesNotFit) {
  TestNode pixels("replay.episodes");
  pixels.run({{"obs", at::zeros({1, 8, 8, 3}, at::kByte)},
              {"action", at::zeros({1, 2})},
              {"reward", at::zeros({1})},
              {"first", at::ones({1})},
              {"last", at::ones({1})}});
  TestNode states("replay.episodes");
  Script({{3}}).play(states, 3);
  const auto saved = state_of(states);
  try {
    pixels.node().load_state(saved);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("[8, 8, 3] Byte"), std::string::npos) << e.what();
  }
  EXPECT_EQ(pixels.node().spec().at("steps"), 1);  // unchanged

  auto broken = [&](const char* k, at::Tensor t) {
    auto d = saved;
    d[k] = std::move(t);
    return d;
  };
  TestNode fresh("replay.episodes");
  EXPECT_THROW(fresh.node().load_state(broken("lengths", at::tensor(Sizes{2}))), std::invalid_argument);
  EXPECT_THROW(fresh.node().load_state(broken("lengths", at::tensor(Sizes{0, 3}))), std::invalid_argument);
  EXPECT_THROW(fresh.node().load_state(broken("lengths", at::tensor(std::vector<float>{3.f}))), std::invalid_argument);
  EXPECT_THROW(fresh.node().load_state(broken("action", at::zeros({3}))), std::invalid_argument);
  EXPECT_THROW(fresh.node().load_state(broken("reward", at::zeros({3}, at::kDouble))), std::invalid_argument);
  EXPECT_THROW(fresh.node().load_state(broken("obs", at::zeros({4, 2}))), std::invalid_argument);
  // An episode under way that is missing or of another layout.
  EXPECT_THROW(fresh.node().load_state(broken("pending", at::tensor(Sizes{2}))), std::invalid_argument);
  auto odd = broken("pending", at::tensor(Sizes{2}));
  odd["pending.obs.0"] = at::zeros({2, 5});
  odd["pending.action.0"] = at::zeros({2, 2});
  odd["pending.reward.0"] = at::zeros({2});
  EXPECT_THROW(fresh.node().load_state(odd), std::invalid_argument);
  auto no_obs = saved;
  no_obs.erase("obs");
  EXPECT_THROW(fresh.node().load_state(no_obs), std::invalid_argument);
  EXPECT_THROW(fresh.node().load_state({}), std::invalid_argument);
  fresh.node().load_state(saved);
  EXPECT_EQ(fresh.node().spec().at("steps"), 3);
}

TEST(ReplayEpisodes, RejectsInvalidParams) {
  EXPECT_THROW(TestNode("replay.episodes", {{"capacity", 0}}), std::invalid_argument);
  EXPECT_THROW(TestNode("replay.episodes", {{"capacity", 1.5}}), std::invalid_argument);
}

}  // namespace
