// Validation reports every error with its JSON pointer and a message that says what was expected
// and what was found (DESIGN.md, "Validation before running").
#include <gtest/gtest.h>

#include "workspace.h"

namespace {

const lf::Workspace& ws() {
  static const auto* w = new lf::Workspace({LATENTFLOW_TEST_PLUGIN_DIR});
  return *w;
}

lf::Diagnostics check(const std::string& text) {
  lf::Diagnostics d;
  ws().load_graph_json(nlohmann::json::parse(text), "bad.json", d);
  return d;
}

// A valid base: a linear block called by one flow with a declared input.
std::string graph(const std::string& blocks, const std::string& nodes, const std::string& inputs = R"("a": {"shape": ["B", 3]})",
                  const std::string& extra = "") {
  return R"({"blocks": {)" + blocks + R"(}, "flows": {"f": {"inputs": {)" + inputs + R"(}, "nodes": {)" + nodes +
         R"(}}})" + extra + "}";
}
const std::string kLin = R"("lin": {"type": "nn.linear", "in_dim": 3, "out_dim": 2})";
const std::string kCall = R"("n": {"block": "lin", "inputs": {"x": "$a"}})";

struct Case {
  const char* name;
  std::string text;
  const char* where;
  const char* message;
};

class BadGraph : public ::testing::TestWithParam<Case> {};

TEST_P(BadGraph, ReportsLocationAndMessage) {
  const Case& c = GetParam();
  const lf::Diagnostics d = check(c.text);
  ASSERT_FALSE(d.empty()) << c.name << ": no error reported";
  bool found = false;
  for (const auto& e : d.items()) found |= e.where == c.where && e.message.find(c.message) != std::string::npos;
  EXPECT_TRUE(found) << c.name << ": expected at " << c.where << " a message with '" << c.message << "', got:\n"
                     << d.format("bad.json");
}

INSTANTIATE_TEST_SUITE_P(
    Validation, BadGraph,
    ::testing::Values(
        Case{"unknown_type_did_you_mean", graph(R"("lin": {"type": "nn.linaer", "in_dim": 3, "out_dim": 2})", kCall),
             "/blocks/lin/type", "did you mean 'nn.linear'"},
        Case{"missing_plugin", graph(R"("x": {"type": "nosuchplugin.node"})", ""), "/blocks/x/type", "missing plugin 'nosuchplugin'"},
        Case{"unknown_param", graph(R"("lin": {"type": "nn.linear", "in_dim": 3, "out_dim": 2, "bais": true})", kCall),
             "/blocks/lin/bais", "did you mean 'bias'"},
        Case{"missing_param", graph(R"("lin": {"type": "nn.linear", "in_dim": 3})", ""), "/blocks/lin",
             "missing required param 'out_dim'"},
        Case{"param_wrong_type", graph(R"("lin": {"type": "nn.linear", "in_dim": "three", "out_dim": 2})", ""),
             "/blocks/lin/in_dim", "expected an integer, got string"},
        Case{"param_out_of_range", graph(R"("lin": {"type": "nn.linear", "in_dim": 0, "out_dim": 2})", ""),
             "/blocks/lin/in_dim", "out of range"},
        Case{"param_bad_choice", graph(R"("m": {"type": "nn.mlp", "in_dim": 3, "out_dim": 2, "activation": "gelu"})", ""),
             "/blocks/m/activation", "unknown value 'gelu'"},
        Case{"unknown_input_port", graph(kLin, R"("n": {"block": "lin", "inputs": {"x": "$a", "xx": "$a"}})"),
             "/flows/f/nodes/n/inputs/xx", "unknown input port 'xx'"},
        Case{"missing_input", graph(kLin, R"("n": {"block": "lin"})"), "/flows/f/nodes/n/inputs", "missing input 'x'"},
        Case{"dangling_node", graph(kLin, R"("n": {"block": "lin", "inputs": {"x": "nope.y"}})"),
             "/flows/f/nodes/n/inputs/x", "dangling edge: no node 'nope'"},
        Case{"dangling_port", graph(kLin, kCall + R"(, "m": {"block": "lin", "inputs": {"x": "n.z"}})"),
             "/flows/f/nodes/m/inputs/x", "has no output 'z'"},
        Case{"dangling_flow_input", graph(kLin, R"("n": {"block": "lin", "inputs": {"x": "$b"}})"),
             "/flows/f/nodes/n/inputs/x", "has no input 'b'"},
        Case{"dtype_mismatch", graph(kLin, kCall, R"("a": {"dtype": "i64", "shape": ["B", 3]})"),
             "/flows/f/nodes/n/inputs/x", "dtype mismatch: $a is i64 but n.x expects f32"},
        Case{"shape_mismatch", graph(kLin, kCall, R"("a": {"shape": ["B", 5]})"), "/flows/f/nodes/n/inputs/x",
             "shape mismatch"},
        Case{"rank_mismatch",
             graph(R"("d": {"type": "rssm.deterministic", "deter": 4, "stoch": 2, "action_size": 1})",
                   R"("n": {"block": "d", "inputs": {"h": "$a", "s": "$s", "a": "$s"}})",
                   R"("a": {"shape": ["B", "T", 4]}, "s": {"shape": ["B", 2]})"),
             "/flows/f/nodes/n/inputs/h", "rank mismatch"},
        Case{"cycle", graph(R"("lin": {"type": "nn.linear", "in_dim": 2, "out_dim": 2})",
                            R"("p": {"block": "lin", "inputs": {"x": "q.y"}}, "q": {"block": "lin", "inputs": {"x": "p.y"}})"),
             "/flows/f/nodes", "cycle outside a scan among nodes: p, q"},
        Case{"undefined_flow", graph(kLin, R"("n": {"flow": "nosuch"})"), "/flows/f/nodes/n/flow",
             "call of undefined flow 'nosuch'"},
        Case{"recursive_flow", graph(kLin, R"("n": {"flow": "f", "inputs": {"a": "$a"}})"), "/flows/f/nodes/n/flow",
             "calls itself"},
        Case{"unknown_block", graph(kLin, R"("n": {"block": "lni", "inputs": {"x": "$a"}})"), "/flows/f/nodes/n/block",
             "no block named 'lni' (did you mean 'lin'?)"},
        Case{"unknown_control_edge", graph(kLin, R"("n": {"block": "lin", "inputs": {"x": "$a"}, "after": ["ghost"]})"),
             "/flows/f/nodes/n/after/0", "control edge to unknown node 'ghost'"},
        Case{"scan_over_unknown_input",
             R"({"blocks": {"lin": {"type": "nn.linear", "in_dim": 3, "out_dim": 2}},
                 "flows": {"g": {"inputs": {"x": {"shape": ["B", 3]}}, "nodes": {"n": {"block": "lin", "inputs": {"x": "$x"}}},
                                 "outputs": {"y": "n.y"}},
                           "f": {"inputs": {"a": {"shape": ["B", "T", 3]}},
                                 "nodes": {"s": {"scan": "g", "over": ["zz"], "inputs": {"x": "$a"}}}}}})",
             "/flows/f/nodes/s/over", "flow 'g' has no input 'zz'"},
        Case{"program_undefined_flow", graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"call": "trian"}])"),
             "/program/0/call", "call of undefined flow 'trian'"},
        Case{"program_bad_repeat", graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"repeat": 0, "do": []}])"),
             "/program/0/repeat", "expected a positive integer"},
        Case{"rollout_unknown_flow", graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"rollout": "g"}])"),
             "/program/0/rollout", "no flow named \"g\" (did you mean 'f'?)"},
        Case{"rollout_input_not_carried", graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"rollout": "f"}])"),
             "/program/0/rollout", "flow 'f' needs input 'a': carry it, feed it a counter (\"counters\") or make it optional"},
        Case{"call_counter_to_unknown_input",
             graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"call": "f", "counters": {"b": "updates"}}])"),
             "/program/0/counters/b", "flow 'f' has no input 'b'"},
        Case{"call_counter_not_a_name",
             graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"call": "f", "counters": {"a": 3}}])"),
             "/program/0/counters/a", "expected the name of a counter, got 3"},
        Case{"call_input_without_counter",
             graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"call": "f"}])"),
             "/program/0/call", "needs input 'a'; a program gives a flow only counters"},
        Case{"rollout_counter_and_carry",
             graph(kLin, kCall, R"("a": {"shape": ["B", 3]})",
                   R"(, "program": [{"rollout": "f", "init": "f", "carry": {"a": "y"}, "counters": {"a": "updates"}}])"),
             "/program/0/counters/a", "input 'a' is carried too"},
        Case{"rollout_unknown_key", graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"rollout": "f", "carr": {}}])"),
             "/program/0/carr", "unknown key 'carr' in a rollout statement (did you mean 'carry'?)"},
        Case{"rollout_carry_from_missing_output",
             graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"rollout": "f", "init": "f", "carry": {"a": "y"}}])"),
             "/program/0/carry/a", "flow 'f' has no output 'y'"},
        Case{"rollout_carry_without_init",
             graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"rollout": "f", "carry": {"a": "y"}}])"),
             "/program/0", "needs \"init\""},
        Case{"rollout_without_end_flags", graph(kLin, kCall, R"("a": {"shape": ["B", 3], "optional": true})", R"(, "program": [{"rollout": "f"}])"),
             "/program/0", "flow 'f' has no output 'last'"},
        Case{"rollout_video_from_missing_output",
             graph(kLin, kCall, R"("a": {"shape": ["B", 3], "optional": true})", R"(, "program": [{"rollout": "f", "steps": 2, "video": "pixel"}])"),
             "/program/0/video", "flow 'f' has no output 'pixel'"},
        Case{"rollout_step_output_without_steps",
             graph(kLin, kCall, R"("a": {"shape": ["B", 3], "optional": true})", R"(, "program": [{"rollout": "f", "step_output": "y"}])"),
             "/program/0/step_output", "counts toward \"steps\", which the rollout does not give"},
        Case{"rollout_step_output_missing",
             graph(kLin, kCall, R"("a": {"shape": ["B", 3], "optional": true})", R"(, "program": [{"rollout": "f", "steps": 1, "step_output": "agent"}])"),
             "/program/0/step_output", "flow 'f' has no output 'agent'"},
        Case{"media_unknown_flow", graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"media": "open_loop"}])"),
             "/program/0/media", "no flow named \"open_loop\""},
        Case{"media_flow_with_inputs", graph(kLin, kCall, R"("a": {"shape": ["B", 3]})", R"(, "program": [{"media": "f"}])"),
             "/program/0/media", "needs input 'a'"},
        Case{"flow_param_unknown_flow",
             graph(kLin + R"(, "plan": {"type": "planners.cem", "model": "modle", "action_size": 1})", kCall), "/blocks/plan/model",
             "no flow named 'modle'"},
        Case{"block_param_unknown_block",
             graph(kLin + R"(, "sample": {"type": "replay.sample", "buffer": "replya"})", kCall), "/blocks/sample/buffer",
             "no block named 'replya'"},
        Case{"optimizer_unknown_block",
             graph(kLin + R"(, "opt": {"type": "optim.adam", "blocks": ["lin", "enc"]})", kCall), "/blocks/opt/blocks/1",
             "no block named 'enc'"},
        Case{"unknown_top_level_key", R"({"flow": {}})", "/flow", "did you mean 'flows'"},
        Case{"node_with_two_kinds", graph(kLin, R"("n": {"block": "lin", "type": "nn.linear", "inputs": {"x": "$a"}})"),
             "/flows/f/nodes/n", "exactly one of"},
        Case{"block_param_in_flow_call", graph(kLin, R"("n": {"block": "lin", "out_dim": 4, "inputs": {"x": "$a"}})"),
             "/flows/f/nodes/n/out_dim", "params belong to the block"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Validation, ValidGraphHasNoErrors) {
  const lf::Diagnostics d = check(graph(kLin, kCall));
  EXPECT_TRUE(d.empty()) << d.format("ok.json");
}

TEST(Validation, ReportsEveryErrorAtOnce) {
  const lf::Diagnostics d = check(graph(R"("lin": {"type": "nn.linear", "in_dim": 0, "out_dim": "x", "bais": 1})",
                                        R"("n": {"block": "lin", "inputs": {"x": "$b"}})"));
  EXPECT_GE(d.size(), 4u) << d.format("bad.json");
}

TEST(Validation, ScanSlicesTimeAxis) {
  // A scan over a step flow takes [B, T, ...] where the step takes [B, ...]: [B, T, 5] into a step
  // expecting [B, 3] is a shape error at the scan's input.
  const std::string text = R"({"blocks": {"lin": {"type": "nn.linear", "in_dim": 3, "out_dim": 2}},
    "flows": {"step": {"inputs": {"x": {"shape": ["B", 3]}}, "nodes": {"n": {"block": "lin", "inputs": {"x": "$x"}}},
                       "outputs": {"y": "n.y"}},
              "f": {"inputs": {"seq": {"shape": ["B", "T", 5]}},
                    "nodes": {"s": {"scan": "step", "over": ["x"], "inputs": {"x": "$seq"}}}}}})";
  const lf::Diagnostics d = check(text);
  ASSERT_EQ(d.size(), 1u) << d.format("scan.json");
  EXPECT_EQ(d.items()[0].where, "/flows/f/nodes/s/inputs/x");
  EXPECT_NE(d.items()[0].message.find("shape mismatch"), std::string::npos) << d.items()[0].message;
}

// An undeclared output ("?": nn.slice's shape depends on which dim it narrows) is not followed: a
// slice of the last dim from 5 to 3 feeds a 3-input linear without a false load-time error (the
// slice and the linear check their inputs at run time).
TEST(Validation, UndeclaredShapesAreNotFollowed) {
  const std::string text = R"({"blocks": {"lin": {"type": "nn.linear", "in_dim": 3, "out_dim": 2}},
    "flows": {"f": {"inputs": {"a": {"shape": ["B", "T", 5]}},
                    "nodes": {"cut": {"type": "nn.slice", "dim": 2, "start": 0, "stop": 3, "inputs": {"x": "$a"}},
                              "n": {"block": "lin", "inputs": {"x": "cut.y"}}}}}})";
  const lf::Diagnostics d = check(text);
  EXPECT_TRUE(d.empty()) << d.format("slice.json");
}

}  // namespace
