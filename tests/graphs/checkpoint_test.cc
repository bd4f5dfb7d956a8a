// Checkpoint files (engine/checkpoint.h): what they hold and how a bad one is refused.
#include <fstream>
#include <iterator>

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include <torch/nn/module.h>

#include "checkpoint.h"
#include "graph_runs.h"
#include "support/node_harness.h"

namespace {

using namespace lf::testing;
namespace fs = std::filesystem;

const lf::GraphSource kGraph = {"graphs/planet.json", {"small"}, {}};

TEST(Checkpoint, RestoresWeightsNodeStateAndTheGenerator) {
  const auto dir = fresh_dir("ckpt_roundtrip");
  fs::create_directories(dir);
  const std::string path = (dir / "c.pt").string();
  auto g = load_repo_graph(kGraph);
  lf::Runtime a(*g, {1, 1, false});
  at::manual_seed(123);
  lf::save_checkpoint(path, a, {{"note", "x"}});
  const auto expected_draw = at::randn({4});

  lf::Runtime b(*g, {2, 1, false});  // another seed: other weights and generators
  const auto wa = a.modules().at("cell")->parameters().front();
  auto wb = b.modules().at("cell")->parameters().front();
  ASSERT_FALSE(at::equal(wa, wb));
  EXPECT_EQ(lf::load_checkpoint(path, b)["note"], "x");
  EXPECT_TRUE(at::equal(wa, wb)) << "weights are copied in place (optimizers hold these tensors)";
  EXPECT_TRUE(at::equal(at::randn({4}), expected_draw)) << "torch's default generator is restored";
}

TEST(Checkpoint, RefusesAGraphWhoseWeightsDiffer) {
  const auto dir = fresh_dir("ckpt_shapes");
  fs::create_directories(dir);
  const std::string path = (dir / "c.pt").string();
  auto g = load_repo_graph(kGraph);
  lf::Runtime a(*g, {1, 1, false});
  lf::save_checkpoint(path, a, nlohmann::json::object());

  auto wider = load_repo_graph(lf::GraphSource{kGraph.path, kGraph.presets, {"blocks.reward.hidden=[8,9]"}});
  lf::Runtime b(*wider, {1, 1, false});
  const std::string e = error_of([&] { lf::load_checkpoint(path, b); });
  EXPECT_NE(e.find("block 'reward'"), std::string::npos) << e;
  EXPECT_NE(e.find("checkpoint [8, 8], graph [9, 8]"), std::string::npos) << e;
}

TEST(Checkpoint, RefusesAFileThatIsNotACheckpoint) {
  const auto dir = fresh_dir("ckpt_garbage");
  fs::create_directories(dir);
  const std::string path = (dir / "c.pt").string();
  std::ofstream(path) << "not a checkpoint";
  auto g = load_repo_graph(kGraph);
  lf::Runtime rt(*g, {1, 1, false});
  const std::string e = error_of([&] { lf::load_checkpoint(path, rt); });
  EXPECT_NE(e.find("not a readable checkpoint"), std::string::npos) << e;
}

TEST(Checkpoint, AFailedWriteLeavesThePreviousCheckpointWhole) {
  const auto dir = fresh_dir("ckpt_atomic");
  fs::create_directories(dir);
  const std::string path = (dir / "c.pt").string();
  auto g = load_repo_graph(kGraph);
  lf::Runtime rt(*g, {1, 1, false});
  lf::save_checkpoint(path, rt, {{"generation", 1}});
  fs::create_directories(path + ".tmp");  // the next write cannot create its temporary file
  EXPECT_FALSE(error_of([&] { lf::save_checkpoint(path, rt, {{"generation", 2}}); }).empty());
  fs::remove_all(path + ".tmp");
  EXPECT_EQ(lf::load_checkpoint(path, rt)["generation"], 1);
}

// A full disk (the temporary file opened on /dev/full): an error naming the cause, no temporary
// file left, the previous checkpoint whole; torch's writer used to abort the process instead.
TEST(Checkpoint, AFullDiskIsAnErrorNotACrash) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const auto dir = fresh_dir("ckpt_full");
  fs::create_directories(dir);
  const std::string path = (dir / "c.pt").string();
  auto g = load_repo_graph(kGraph);
  lf::Runtime rt(*g, {1, 1, false});
  lf::save_checkpoint(path, rt, {{"generation", 1}});
  fs::create_symlink("/dev/full", path + ".tmp");
  const auto message = error_of([&] { lf::save_checkpoint(path, rt, {{"generation", 2}}); });
  EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
  EXPECT_NE(message.find("the previous checkpoint, if any, is kept"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(fs::symlink_status(path + ".tmp")));
  EXPECT_EQ(lf::load_checkpoint(path, rt)["generation"], 1);
  lf::save_checkpoint(path, rt, {{"generation", 3}});  // room again: the next write works
  EXPECT_EQ(lf::load_checkpoint(path, rt)["generation"], 3);
}

// One flipped byte inside a weight tensor: the load names the damaged tensor instead of continuing
// from corrupted weights.
TEST(Checkpoint, AFlippedByteIsFound) {
  const auto dir = fresh_dir("ckpt_flip");
  fs::create_directories(dir);
  const std::string path = (dir / "c.pt").string();
  auto g = load_repo_graph(kGraph);
  lf::Runtime rt(*g, {1, 1, false});
  {
    at::NoGradGuard no_grad;
    rt.modules().at("cell")->parameters().front().fill_(1234.5678f);  // a pattern to find in the file
  }
  lf::save_checkpoint(path, rt, {{"generation", 1}});
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const float mark = 1234.5678f;
  const std::string pattern(reinterpret_cast<const char*>(&mark), sizeof mark);
  const auto at = bytes.find(pattern + pattern);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] ^= 0x10;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  const auto message = error_of([&] { lf::load_checkpoint(path, rt); });
  EXPECT_NE(message.find("damaged checkpoint: block 'cell' weight"), std::string::npos) << message;
}

}  // namespace
