// Graph files: malformed JSON reports line and column; --set overrides are applied and checked.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "diagnostics.h"
#include "json_file.h"
#include "workspace.h"

namespace {

std::string temp_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("lf_test_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(JsonFile, MalformedJsonGivesLineAndColumn) {
  const std::string path = temp_file("bad.json", "{\n  \"blocks\": {\n    \"x\": {\"type\": \"nn.linear\",}\n  }\n}\n");
  try {
    lf::read_json_file(path);
    FAIL() << "no error";
  } catch (const lf::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":3:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("malformed JSON"), std::string::npos) << e.what();
  }
}

TEST(JsonFile, MissingFileIsInputError) { EXPECT_THROW(lf::read_json_file("/nonexistent/g.json"), lf::InputError); }

TEST(SetOverride, ReplacesNumbersStringsAndLists) {
  nlohmann::json doc = nlohmann::json::parse(R"({"blocks": {"rssm": {"deter": 200, "act": "elu", "hidden": [1]}}})");
  for (const char* set : {"blocks.rssm.deter=400", "blocks.rssm.act=relu", "blocks.rssm.hidden=[3,4]",
                          "blocks.rssm.hidden.0=5"}) {
    lf::apply_override(doc, set);
  }
  EXPECT_EQ(doc["blocks"]["rssm"]["deter"], 400);
  EXPECT_EQ(doc["blocks"]["rssm"]["act"], "relu");
  EXPECT_EQ(doc["blocks"]["rssm"]["hidden"], nlohmann::json::parse("[5,4]"));
}

TEST(SetOverride, MissingParentNamesTheOverride) {
  nlohmann::json doc = nlohmann::json::parse(R"({"blocks": {"rssm": {"deter": 200}}})");
  try {
    lf::apply_override(doc, "blocks.rsm.deter=400");
    FAIL() << "no error";
  } catch (const lf::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--set blocks.rsm.deter=400"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("did you mean 'rssm'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(lf::apply_override(doc, "no_equals_sign"), lf::InputError);
}

TEST(SetOverride, ValidatedLikeTheFile) {
  const std::string path = temp_file("set.json", R"({"blocks": {"lin": {"type": "nn.linear", "in_dim": 3, "out_dim": 2}}})");
  lf::Workspace ws({LATENTFLOW_TEST_PLUGIN_DIR});
  lf::Diagnostics ok;
  ws.load_graph(path, {"blocks.lin.out_dim=7"}, ok);
  EXPECT_TRUE(ok.empty()) << ok.format(path);
  lf::Diagnostics bad;
  auto g = ws.load_graph(path, {"blocks.lin.out_dim=-1", "blocks.lin.bais=true"}, bad);
  ASSERT_EQ(bad.size(), 2u) << bad.format(path);
  EXPECT_EQ(bad.items()[0].where, "/blocks/lin/bais");
  EXPECT_EQ(bad.items()[1].where, "/blocks/lin/out_dim");
  EXPECT_EQ(g->blocks.at("lin").raw["out_dim"], -1);
}

TEST(AtomicWrite, LeavesNoTemporaryBehind) {
  const std::string path = temp_file("atomic.txt", "old");
  lf::write_file_atomic(path, "new");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "new");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

}  // namespace
