// Offscreen rendering on the CPU (EGL surfaceless), renderer pools, and MuJoCo's error handling.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "env.h"
#include "renderer.h"

namespace {

const char* kScene = R"(<mujoco>
  <worldbody>
    <light pos="0 0 3"/>
    <camera name="front" pos="0 -2 1" xyaxes="1 0 0 0 0.5 1"/>
    <geom type="plane" size="2 2 .1" rgba=".2 .3 .4 1"/>
    <body name="box" pos="0 0 .5"><joint name="slide" type="slide" axis="1 0 0"/>
      <geom type="box" size=".2 .2 .2" rgba="1 0 0 1"/></body>
  </worldbody>
</mujoco>)";

struct Scene {
  mjModel* m = lf::envs::compile_mjcf(kScene, "scene");
  mjData* d = mj_makeData(m);
  Scene() { mj_forward(m, d); }
  ~Scene() {
    mj_deleteData(d);
    mj_deleteModel(m);
  }
};

TEST(Renderer, FrameIsNotBlankAndFollowsTheState) {
  Scene s;
  lf::envs::Renderer r(s.m, 64, 48);
  std::vector<uint8_t> a(64 * 48 * 3), b(a.size());
  r.render(s.d, 0, a.data());
  int distinct = 0;
  for (size_t i = 3; i < a.size(); i += 3) distinct += a[i] != a[0];
  EXPECT_GT(distinct, 100) << "a frame of one colour";
  // The red box at the centre column, floor colour elsewhere; moving the box changes the frame.
  s.d->qpos[0] = 0.6;
  mj_forward(s.m, s.d);
  r.render(s.d, 0, b.data());
  EXPECT_NE(a, b);
}

// DMC's look (the scene's shadow map, 4x multisampling, reflections) differs from the fast one:
// the box casts a shadow on the floor, and its edges are smoothed.
TEST(Renderer, DmcLookDrawsShadowsTheFastLookDoesNot) {
  Scene s;
  lf::envs::Renderer fast(s.m, 64, 48, lf::envs::Look::Fast), dmc(s.m, 64, 48, lf::envs::Look::Dmc);
  std::vector<uint8_t> a(64 * 48 * 3), b(a.size());
  fast.render(s.d, 0, a.data());
  dmc.render(s.d, 0, b.data());
  int darker = 0;  // floor pixels in the box's shadow
  for (size_t i = 0; i < a.size(); i += 3) darker += b[i] + b[i + 1] + b[i + 2] + 30 < a[i] + a[i + 1] + a[i + 2];
  EXPECT_GT(darker, 20);
}

TEST(Renderer, RowsComeTopFirst) {
  Scene s;
  lf::envs::Renderer r(s.m, 32, 32);
  std::vector<uint8_t> img(32 * 32 * 3);
  r.render(s.d, 0, img.data());
  // The camera looks down at the floor: the bottom row is floor (blue-ish), the top row is sky.
  const uint8_t* bottom = &img[(31 * 32 + 16) * 3];
  EXPECT_GT(bottom[2], bottom[0]);
}

TEST(Renderer, RendersFromAnotherThread) {
  Scene s;
  lf::envs::Renderer r(s.m, 32, 32);
  std::vector<uint8_t> here(32 * 32 * 3), there(here.size());
  r.render(s.d, 0, here.data());
  std::thread t([&] { r.render(s.d, 0, there.data()); });
  t.join();
  EXPECT_EQ(here, there);
}

// Frames of the box at several positions: one Renderer in order, and a pool of `count` renderers
// drawing them from 4 threads at once (each thread its own data).
std::vector<std::vector<uint8_t>> frames_in_order(const Scene& s, int n) {
  lf::envs::Renderer r(s.m, 32, 32);
  std::vector<std::vector<uint8_t>> out;
  mjData* d = mj_makeData(s.m);
  for (int i = 0; i < n; ++i) {
    d->qpos[0] = 0.1 * i;
    mj_forward(s.m, d);
    out.emplace_back(32 * 32 * 3);
    r.render(d, 0, out.back().data());
  }
  mj_deleteData(d);
  return out;
}

void expect_pool_matches(int count) {
  Scene s;
  const int n = 12;
  const auto expected = frames_in_order(s, n);
  lf::envs::RendererPool pool(s.m, 32, 32, lf::envs::Look::Fast, count);
  EXPECT_EQ(pool.size(), count);
  std::vector<std::vector<uint8_t>> got(n, std::vector<uint8_t>(32 * 32 * 3));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      mjData* d = mj_makeData(s.m);
      for (int i = t; i < n; i += 4) {
        d->qpos[0] = 0.1 * i;
        mj_forward(s.m, d);
        pool.render(d, 0, got[static_cast<size_t>(i)].data());
      }
      mj_deleteData(d);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < n; ++i) EXPECT_EQ(got[static_cast<size_t>(i)], expected[static_cast<size_t>(i)]) << "frame " << i;
  EXPECT_NE(expected[0], expected[n - 1]);
}

TEST(RendererPool, FramesFromAnyThreadAndRendererMatchOneRenderer) { expect_pool_matches(2); }
TEST(RendererPool, ThreadsWaitForTheOnlyRenderer) { expect_pool_matches(1); }

TEST(MujocoErrors, BrokenMjcfThrowsWithMujocosMessage) {
  try {
    lf::envs::compile_mjcf("<mujoco><worldbody><geom type=\"box\"/></worldbody>", "broken");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("MJCF of 'broken' does not compile"), std::string::npos) << e.what();
  }
}

TEST(MujocoErrors, FatalErrorThrowsInsteadOfExiting) {
  lf::envs::install_mujoco_error_handler();
  EXPECT_THROW(mju_error("test error"), std::runtime_error);
}

}  // namespace
