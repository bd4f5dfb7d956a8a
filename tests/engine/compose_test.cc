// Graph composition (engine/compose.h): vars, extends, presets, sizes from the environment, and
// errors that point at the file and place where the user wrote the value.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "workspace.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const lf::Workspace& plugins_ws() {
  static const auto* w = new lf::Workspace({LATENTFLOW_TEST_PLUGIN_DIR});
  return *w;
}

class Compose : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lf_compose_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string file(const std::string& name, const std::string& text) {
    const auto p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  // Loads; the graph and its diagnostics.
  std::pair<std::unique_ptr<lf::Graph>, lf::Diagnostics> load(const std::string& path, std::vector<std::string> presets = {},
                                                              std::vector<std::string> sets = {}) {
    lf::Diagnostics d;
    auto g = plugins_ws().load_graph({path, std::move(presets), std::move(sets)}, d);
    return {std::move(g), std::move(d)};
  }
  // True when some error is at `file`:`where` with `message` in its text.
  static bool has(const lf::Diagnostics& d, const std::string& file, const std::string& where, const std::string& message) {
    for (const auto& e : d.items())
      if (e.file == file && e.where == where && e.message.find(message) != std::string::npos) return true;
    return false;
  }

  fs::path dir_;
};

// A linear block sized by vars, called by one flow.
const char* kLinear = R"({
  "vars": {"in": 3, "out": "${in * 2}", "name": "lin"},
  "blocks": {"lin": {"type": "nn.linear", "in_dim": "${in}", "out_dim": "${out}"}},
  "flows": {"f": {"doc": "${name} of ${in}", "inputs": {"x": {"shape": ["B", "${in}"]}},
                  "nodes": {"n": {"block": "lin", "inputs": {"x": "$x"}}}, "outputs": {"y": "n.y"}}}
})";

TEST_F(Compose, VarsKeepTheirTypeAndInterpolate) {
  auto [g, d] = load(file("g.json", kLinear));
  ASSERT_TRUE(d.empty()) << d.format("g.json");
  EXPECT_EQ(g->blocks.at("lin").params["in_dim"], json(3));
  EXPECT_EQ(g->blocks.at("lin").params["out_dim"], json(6));  // a var of a var
  EXPECT_EQ(g->json["flows"]["f"]["doc"], json("lin of 3"));
  EXPECT_EQ(g->flows.at("f").inputs[0].shape, (std::vector<std::string>{"B", "3"}));
  EXPECT_FALSE(g->json.contains("vars"));  // the expansion is what runs
}

TEST_F(Compose, SetOfAVarChangesItEverywhere) {
  auto [g, d] = load(file("g.json", kLinear), {}, {"vars.in=5"});
  ASSERT_TRUE(d.empty()) << d.format("g.json");
  EXPECT_EQ(g->blocks.at("lin").params["in_dim"], json(5));
  EXPECT_EQ(g->blocks.at("lin").params["out_dim"], json(10));
  EXPECT_EQ(g->flows.at("f").inputs[0].shape[1], "5");
}

TEST_F(Compose, VarErrorsAreLocated) {
  const std::string path = file("g.json", R"({
    "vars": {"in": 3, "a": "${b}", "b": "${a}", "word": "x", "zero": 0},
    "blocks": {"l1": {"type": "nn.linear", "in_dim": "${inn}", "out_dim": 2},
               "l2": {"type": "nn.linear", "in_dim": "${word + 1}", "out_dim": "${in // zero}"}}})");
  auto [g, d] = load(path);
  EXPECT_TRUE(has(d, path, "/blocks/l1/in_dim", "unknown var 'inn' (did you mean 'in'?)")) << d.format(path);
  EXPECT_TRUE(has(d, path, "/vars/a", "cycle among vars: a -> b -> a")) << d.format(path);
  EXPECT_TRUE(has(d, path, "/blocks/l2/in_dim", "cannot apply '+' to string and int")) << d.format(path);
  EXPECT_TRUE(has(d, path, "/blocks/l2/out_dim", "division by zero")) << d.format(path);
}

TEST_F(Compose, ExtendsMergesAndDeletesThroughAChain) {
  file("base.json", kLinear);
  file("mid.json", R"({"extends": "base.json", "vars": {"in": 4}, "blocks": {"extra": {"type": "nn.linear", "in_dim": 1, "out_dim": 1}}})");
  const std::string child = file("sub/child.json",
                                 R"({"extends": "../mid.json", "name": "child", "blocks": {"extra": null, "lin": {"bias": false}}})");
  auto [g, d] = load(child);
  ASSERT_TRUE(d.empty()) << d.format(child);
  EXPECT_EQ(g->name, "child");
  EXPECT_EQ(g->blocks.count("extra"), 0u);                          // null deletes
  EXPECT_EQ(g->blocks.at("lin").params["in_dim"], json(4));        // mid's var, used by base's block
  EXPECT_EQ(g->blocks.at("lin").params["bias"], json(false));      // merged into base's block
  EXPECT_EQ(g->blocks.at("lin").params["out_dim"], json(8));
}

TEST_F(Compose, ExtendsListAppliesMixinsInOrder) {
  file("base.json", kLinear);
  file("wide.json", R"({"vars": {"in": 7}, "blocks": {"lin": {"bias": false}}})");
  const std::string child = file("child.json", R"({"extends": ["base.json", "wide.json"], "vars": {"out": 1}})");
  auto [g, d] = load(child);
  ASSERT_TRUE(d.empty()) << d.format(child);
  EXPECT_EQ(g->blocks.at("lin").params["in_dim"], json(7));
  EXPECT_EQ(g->blocks.at("lin").params["out_dim"], json(1));
  EXPECT_EQ(g->blocks.at("lin").params["bias"], json(false));
}

TEST_F(Compose, ExtendsErrorsAreLocated) {
  const std::string missing = file("missing.json", R"({"extends": "nosuch.json"})");
  auto [g1, d1] = load(missing);
  EXPECT_TRUE(has(d1, missing, "/extends", "cannot read the base graph")) << d1.format(missing);
  EXPECT_TRUE(has(d1, missing, "/extends", "nosuch.json")) << d1.format(missing);
  const std::string a = file("a.json", R"({"extends": "b.json"})");
  const std::string b = file("b.json", R"({"extends": "a.json"})");
  auto [g2, d2] = load(a);
  EXPECT_TRUE(has(d2, b, "/extends", "extends cycle")) << d2.format(a);
  const std::string bad = file("bad.json", R"({"extends": 3})");
  auto [g3, d3] = load(bad);
  EXPECT_TRUE(has(d3, bad, "/extends", "expected the path of a base graph")) << d3.format(bad);
}

TEST_F(Compose, PresetsApplyInOrderBeforeSet) {
  const std::string path = file("g.json", std::string(kLinear).replace(1, 0, R"(
    "presets": {"wide": {"vars.in": 8, "blocks.lin.bias": false}, "narrow": {"vars.in": 2}},)"));
  EXPECT_EQ(load(path, {"wide"}).first->blocks.at("lin").params["in_dim"], json(8));
  EXPECT_EQ(load(path, {"wide"}).first->blocks.at("lin").params["bias"], json(false));
  EXPECT_EQ(load(path, {"wide", "narrow"}).first->blocks.at("lin").params["in_dim"], json(2));
  EXPECT_EQ(load(path, {"narrow", "wide"}).first->blocks.at("lin").params["in_dim"], json(8));
  EXPECT_EQ(load(path, {"wide"}, {"vars.in=9"}).first->blocks.at("lin").params["in_dim"], json(9));
  EXPECT_FALSE(load(path, {"wide"}).first->json.contains("presets"));
}

TEST_F(Compose, PresetErrorsAreLocated) {
  const std::string path = file("g.json", std::string(kLinear).replace(1, 0, R"(
    "presets": {"wide": {"blocks.lni.in_dim": 8}, "neg": {"vars.in": -1}},)"));
  auto [g1, d1] = load(path, {"wied"});
  EXPECT_TRUE(has(d1, "--preset wied", "", "no preset 'wied'")) << d1.format(path);
  EXPECT_TRUE(has(d1, "--preset wied", "", "did you mean 'wide'")) << d1.format(path);
  auto [g2, d2] = load(path, {"wide"});
  EXPECT_TRUE(has(d2, path, "/presets/wide/blocks.lni.in_dim", "no key 'lni'")) << d2.format(path);
  // A bad value computed from a var names the var and where the preset set it.
  auto [g3, d3] = load(path, {"neg"});
  EXPECT_TRUE(has(d3, path, "/blocks/lin/in_dim", "in = -1, set at " + path + ":/presets/neg/vars.in")) << d3.format(path);
}

TEST_F(Compose, ErrorsPointIntoTheFileThatWroteTheValue) {
  const std::string base = file("base.json", kLinear);
  const std::string child = file("child.json", R"({"extends": "base.json", "blocks": {"lin": {"bais": true}}})");
  auto [g, d] = load(child, {}, {"blocks.lin.out_dim=-3"});
  EXPECT_TRUE(has(d, child, "/blocks/lin/bais", "did you mean 'bias'")) << d.format(child);
  EXPECT_TRUE(has(d, "--set blocks.lin.out_dim=-3", "/blocks/lin/out_dim", "out of range")) << d.format(child);
  // The base's block is the base's: a bad value there points into the base, and at the override
  // that set the var it was computed from.
  auto [g2, d2] = load(child, {}, {"vars.in=0"});
  EXPECT_TRUE(has(d2, base, "/blocks/lin/in_dim", "out of range")) << d2.format(child);
  EXPECT_TRUE(has(d2, base, "/blocks/lin/in_dim", "in = 0, set at --set vars.in=0)")) << d2.format(child);
}

const char* kEnvGraph = R"({
  "vars": {"task": "cartpole_swingup"},
  "blocks": {
    "env": {"type": "envs.dmc", "task": "${task}", "envs": 1000},
    "head": {"type": "nn.linear", "in_dim": "${env.obs_size}", "out_dim": "${env.action_size}"},
    "cell": {"type": "rssm.deterministic", "deter": 4, "stoch": 2, "action_size": "${env.action_size}"}
  }
})";

TEST_F(Compose, SizesComeFromTheEnvironment) {
  const std::string path = file("g.json", kEnvGraph);
  auto [g, d] = load(path);
  ASSERT_TRUE(d.empty()) << d.format(path);
  EXPECT_EQ(g->blocks.at("head").params["in_dim"], json(5));   // cartpole: position, cos, sin, velocities
  EXPECT_EQ(g->blocks.at("head").params["out_dim"], json(1));
  EXPECT_EQ(g->env_specs.at("env")["action"]["size"], json(1));
  auto [g2, d2] = load(path, {}, {"vars.task=cheetah_run"});
  ASSERT_TRUE(d2.empty()) << d2.format(path);
  EXPECT_EQ(g2->blocks.at("head").params["in_dim"], json(17));
  EXPECT_EQ(g2->blocks.at("cell").params["action_size"], json(6));
}

TEST_F(Compose, EnvironmentFactErrors) {
  const std::string path = file("g.json", R"({
    "blocks": {"env": {"type": "envs.dmc"}, "lin": {"type": "nn.linear", "in_dim": 2, "out_dim": 2},
               "a": {"type": "nn.linear", "in_dim": "${env.obs_sise}", "out_dim": "${lin.action_size}"},
               "b": {"type": "nn.linear", "in_dim": "${evn.obs_size}", "out_dim": 1}}})");
  auto [g, d] = load(path);
  EXPECT_TRUE(has(d, path, "/blocks/a/in_dim", "no fact 'obs_sise' (did you mean 'obs_size'?)")) << d.format(path);
  EXPECT_TRUE(has(d, path, "/blocks/a/out_dim", "is not an environment")) << d.format(path);
  EXPECT_TRUE(has(d, path, "/blocks/b/in_dim", "no block named 'evn' (did you mean 'env'?)")) << d.format(path);
}

TEST_F(Compose, ActionSizeThatDisagreesWithTheEnvironmentNamesBoth) {
  const std::string path = file("g.json", kEnvGraph);
  auto [g, d] = load(path, {}, {"blocks.cell.action_size=2"});
  EXPECT_TRUE(has(d, "--set blocks.cell.action_size=2", "/blocks/cell/action_size",
                  "action_size 2 disagrees with environment block 'env' (cartpole_swingup), whose action size is 1"))
      << d.format(path);
}

}  // namespace
