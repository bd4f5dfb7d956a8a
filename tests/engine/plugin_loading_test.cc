// Plugin discovery and the ABI contract (DESIGN.md, "Plugins: loading and ABI").
#include <gtest/gtest.h>

#include <filesystem>

#include "diagnostics.h"
#include "plugin_loader.h"
#include "workspace.h"

namespace fs = std::filesystem;

namespace {

TEST(PluginLoading, LoadsEveryBuiltPlugin) {
  lf::NodeRegistry reg;
  lf::PluginLoader loader(reg);
  loader.load_folders({LATENTFLOW_TEST_PLUGIN_DIR});
  EXPECT_TRUE(loader.refused().empty());
  for (const char* p : {"nn", "rssm", "losses", "optim", "data", "envs", "es", "vae", "mdn"}) EXPECT_EQ(loader.loaded().count(p), 1u) << p;
  ASSERT_NE(reg.find("nn.linear"), nullptr);
  EXPECT_NE(reg.find("nn.linear")->origin.find("lf_nn.so"), std::string::npos);
}

TEST(PluginLoading, AbiMismatchIsRefusedNamingFileAndBothVersions) {
  lf::NodeRegistry reg;
  lf::PluginLoader loader(reg);
  loader.load_folders({std::string(ENGINE_TEST_PLUGINS) + "/mismatch"});
  ASSERT_EQ(loader.refused().size(), 1u);
  const auto& r = loader.refused()[0];
  EXPECT_NE(r.file.find("lf_abi_mismatch.so"), std::string::npos);
  EXPECT_NE(r.message.find("ABI mismatch"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("torch 0.0.1"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find(std::string("torch ") + TORCH_VERSION), std::string::npos) << r.message;
  EXPECT_TRUE(reg.types().empty());  // its register function (which aborts) never ran
}

TEST(PluginLoading, MissingPluginOfARefusedLibraryExplainsWhy) {
  lf::Workspace ws({std::string(ENGINE_TEST_PLUGINS) + "/mismatch"});
  lf::Diagnostics d;
  ws.load_graph_json(nlohmann::json::parse(R"({"blocks": {"x": {"type": "abi_mismatch.node"}}})"), "g.json", d);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d.items()[0].message.find("was refused"), std::string::npos) << d.items()[0].message;
}

TEST(PluginLoading, DuplicateNodeTypeNamesBothFiles) {
  try {
    lf::Workspace ws({LATENTFLOW_TEST_PLUGIN_DIR, std::string(ENGINE_TEST_PLUGINS) + "/duplicate"});
    FAIL() << "no error";
  } catch (const lf::InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("'nn.linear' is registered twice"), std::string::npos) << m;
    EXPECT_NE(m.find("lf_nn.so"), std::string::npos) << m;
    EXPECT_NE(m.find("lf_duplicate.so"), std::string::npos) << m;
  }
}

TEST(PluginLoading, OneRealPathIsLoadedOnce) {
  const fs::path dir = fs::temp_directory_path() / ("lf_link_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::create_symlink(fs::path(LATENTFLOW_TEST_PLUGIN_DIR) / "lf_nn.so", dir / "lf_nn_again.so");
  lf::NodeRegistry reg;
  lf::PluginLoader loader(reg);
  // Without the same-path rule, the second sight of lf_nn.so would register nn.linear twice and throw.
  EXPECT_NO_THROW(loader.load_folders({LATENTFLOW_TEST_PLUGIN_DIR, dir}));
  EXPECT_TRUE(loader.refused().empty());
  fs::remove_all(dir);
}

TEST(PluginLoading, NonPluginLibraryIsRefused) {
  const fs::path dir = fs::temp_directory_path() / ("lf_nonplugin_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::create_symlink("/lib/x86_64-linux-gnu/libz.so.1", dir / "lf_zlib.so");
  lf::NodeRegistry reg;
  lf::PluginLoader loader(reg);
  loader.load_folders({dir});
  ASSERT_EQ(loader.refused().size(), 1u);
  EXPECT_NE(loader.refused()[0].message.find("not a LatentFlow plugin"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
