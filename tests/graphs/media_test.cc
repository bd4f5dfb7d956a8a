// Run media: PNG and GIF files read back with their decoders, the errors for frames of the wrong
// shape, and the two ways a program writes them (a rollout's "video", the "media" statement).
#include <gif_lib.h>
#include <stb/stb_image.h>

#include <ATen/ATen.h>

#include "graph_runs.h"
#include "media.h"

namespace fs = std::filesystem;

namespace lf::testing {
namespace {

// Frames with a few flat colours, so that the GIF's palette holds them exactly.
at::Tensor test_frames(int64_t t, int64_t h, int64_t w) {
  auto x = at::zeros({t, h, w, 3}, at::kByte);
  for (int64_t f = 0; f < t; ++f) {
    x[f].narrow(0, 0, h / 2).select(2, 0).fill_(200);
    x[f].narrow(1, f % w, 1).select(2, 1).fill_(50 * (f + 1));
  }
  return x;
}

TEST(Media, PngRoundTrip) {
  const fs::path dir = fresh_dir("png");
  fs::create_directories(dir);
  const auto frame = test_frames(1, 6, 10)[0];
  write_png((dir / "a.png").string(), frame);
  int w = 0, h = 0, c = 0;
  uint8_t* px = stbi_load((dir / "a.png").c_str(), &w, &h, &c, 3);
  ASSERT_NE(px, nullptr);
  EXPECT_EQ(w, 10);
  EXPECT_EQ(h, 6);
  EXPECT_TRUE(at::equal(at::from_blob(px, {6, 10, 3}, at::kByte), frame));
  stbi_image_free(px);
}

TEST(Media, FloatFramesAreClippedToTheUnitRange) {
  const fs::path dir = fresh_dir("png_float");
  fs::create_directories(dir);
  auto frame = at::full({2, 2, 3}, 0.5, at::kFloat);
  frame[0][0].fill_(-3);
  frame[1][1].fill_(7);
  const auto px = to_rgb8(frame, "f");
  EXPECT_EQ(px[0][0][0].item<int>(), 0);
  EXPECT_EQ(px[0][1][0].item<int>(), 128);
  EXPECT_EQ(px[1][1][0].item<int>(), 255);
}

TEST(Media, GifRoundTrip) {
  const fs::path dir = fresh_dir("gif");
  fs::create_directories(dir);
  const auto frames = test_frames(4, 8, 12);
  write_gif((dir / "v.gif").string(), frames, 10);
  int err = 0;
  GifFileType* gif = DGifOpenFileName((dir / "v.gif").c_str(), &err);
  ASSERT_NE(gif, nullptr);
  ASSERT_EQ(DGifSlurp(gif), GIF_OK);
  EXPECT_EQ(gif->SWidth, 12);
  EXPECT_EQ(gif->SHeight, 8);
  ASSERT_EQ(gif->ImageCount, 4);
  for (int f = 0; f < 4; ++f) {
    const SavedImage& im = gif->SavedImages[f];
    GraphicsControlBlock gcb;
    DGifSavedExtensionToGCB(gif, f, &gcb);
    EXPECT_EQ(gcb.DelayTime, 10);  // centiseconds at 10 fps
    const ColorMapObject* cmap = im.ImageDesc.ColorMap ? im.ImageDesc.ColorMap : gif->SColorMap;
    ASSERT_NE(cmap, nullptr);
    auto decoded = at::empty({8, 12, 3}, at::kByte);
    for (int i = 0; i < 8 * 12; ++i) {
      const GifColorType col = cmap->Colors[im.RasterBits[i]];
      decoded.view({-1, 3})[i] = at::tensor({col.Red, col.Green, col.Blue}, at::kByte);
    }
    // The quantizer keeps 5 bits per channel: within 8 levels of the frame.
    EXPECT_LE((decoded.to(at::kInt) - frames[f].to(at::kInt)).abs().max().item<int>(), 8) << "frame " << f;
  }
  DGifCloseFile(gif, &err);
}

TEST(Media, WrongShapesSayWhatWasExpected) {
  const fs::path dir = fresh_dir("bad");
  fs::create_directories(dir);
  auto message = [](auto fn) {
    try {
      fn();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([&] { write_png((dir / "x.png").string(), at::zeros({4, 4, 1})); }).find("expected frames [..., H, W, 3], got shape [4, 4, 1]"),
            std::string::npos);
  EXPECT_NE(message([&] { write_png((dir / "x.png").string(), at::zeros({2, 4, 4, 3})); }).find("a PNG is one frame"), std::string::npos);
  EXPECT_NE(message([&] { write_gif((dir / "x.gif").string(), at::zeros({4, 4, 3})); }).find("a GIF is frames [T, H, W, 3]"),
            std::string::npos);
  EXPECT_NE(message([&] { to_rgb8(at::zeros({4, 4, 3}, at::kInt), "img"); }).find("img: expected u8 pixels or floats"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "x.png"));
  EXPECT_FALSE(fs::exists(dir / "x.gif"));
}

// A rollout with "video" writes environment 0's episode, one frame per agent step; a "media"
// statement writes a [H, W, 3] output as PNG and a [T, H, W, 3] output as GIF, named by a counter.
TEST(Media, ProgramWritesRolloutVideosAndMediaOutputs) {
  Diagnostics d;
  auto g = workspace().load_graph_json(nlohmann::json::parse(R"({
    "blocks": {"env": {"type": "envs.dmc", "task": "cartpole_swingup", "obs": "pixels", "size": 16,
                       "action_repeat": 4, "episode_steps": 40, "envs": 2}},
    "flows": {
      "act_init": {"nodes": {"a": {"type": "nn.constant", "shape": [2, 1]}}, "outputs": {"action": "a.y"}},
      "step": {"inputs": {"action": {"shape": ["E", 1]}},
               "nodes": {"env": {"block": "env", "inputs": {"action": "$action"}}},
               "outputs": {"last": "env.last", "pixels": "env.pixels", "action": "$action"}},
      "pictures": {"nodes": {"one": {"type": "nn.constant", "shape": [4, 8, 3], "value": 0.5},
                             "many": {"type": "nn.constant", "shape": [3, 4, 8, 3]}},
                   "outputs": {"frame": "one.y", "clip": "many.y"}}},
    "program": [{"repeat": 2, "counter": "iterations", "do": [
      {"rollout": "step", "init": "act_init", "carry": {"action": "action"}, "video": "pixels"},
      {"media": "pictures", "counter": "iterations"}]}]})"),
                                            "media.json", d);
  ASSERT_TRUE(d.empty()) << d.format("media.json");
  Runtime rt(*g, {1, 1, false});
  const fs::path dir = fresh_dir("program_media");
  ProgramRunner runner(rt, dir.string());
  runner.run();
  for (const char* f : {"videos/step-episodes-2.gif", "videos/step-episodes-4.gif", "media/pictures-frame-1.png",
                        "media/pictures-frame-2.png", "media/pictures-clip-2.gif"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  int err = 0;
  GifFileType* gif = DGifOpenFileName((dir / "videos/step-episodes-2.gif").c_str(), &err);
  ASSERT_NE(gif, nullptr);
  ASSERT_EQ(DGifSlurp(gif), GIF_OK);
  EXPECT_EQ(gif->ImageCount, 11);  // the first frame, then 40 env steps at action repeat 4
  EXPECT_EQ(gif->SWidth, 16);
  DGifCloseFile(gif, &err);
}

}  // namespace
}  // namespace lf::testing
