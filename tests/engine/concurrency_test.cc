// Independent nodes of a flow run concurrently when the runtime has more than one inter-op worker;
// a control edge orders nodes that share no data (DESIGN.md, "Scheduling").
#include <gtest/gtest.h>

#include <tbb/global_control.h>

#include "plan.h"
#include "runtime.h"
#include "workspace.h"

namespace {

std::vector<at::Tensor> run_flow(const std::string& nodes, int inter_op) {
  lf::Workspace ws({std::string(ENGINE_TEST_PLUGINS) + "/nodes"});
  lf::Diagnostics d;
  auto g = ws.load_graph_json(nlohmann::json::parse(R"({"flows": {"par": {"nodes": {)" + nodes +
                                                    R"(}, "outputs": {"a": "a.met", "b": "b.met"}}}})"),
                              "par.json", d);
  EXPECT_TRUE(d.empty()) << d.format("par.json");
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(inter_op));
  lf::Runtime rt(*g, {1, inter_op, false});
  std::vector<at::Tensor> out(2);
  rt.plan("par").run(nullptr, out.data());
  return out;
}

TEST(Concurrency, IndependentBranchesRunAtOnce) {
  const auto out = run_flow(R"("a": {"type": "enginetest.barrier"}, "b": {"type": "enginetest.barrier"})", 2);
  EXPECT_EQ(out[0].item<double>(), 1.0);
  EXPECT_EQ(out[1].item<double>(), 1.0);
}

TEST(Concurrency, ControlEdgeSerializes) {
  const auto out = run_flow(R"("a": {"type": "enginetest.barrier", "timeout_ms": 200},
                               "b": {"type": "enginetest.barrier", "timeout_ms": 200, "after": ["a"]})",
                            2);
  EXPECT_EQ(out[0].item<double>(), 0.0);
  EXPECT_EQ(out[1].item<double>(), 0.0);
}

TEST(Concurrency, OneWorkerRunsInOrder) {
  const auto out = run_flow(R"("a": {"type": "enginetest.barrier", "timeout_ms": 200},
                               "b": {"type": "enginetest.barrier", "timeout_ms": 200})",
                            1);
  EXPECT_EQ(out[0].item<double>(), 0.0);
  EXPECT_EQ(out[1].item<double>(), 0.0);
}

}  // namespace
