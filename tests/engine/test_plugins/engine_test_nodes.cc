// Node types that exist only to test the engine: a barrier that proves two nodes ran at once, a
// constant that can emit a NaN, and a conversion to an integer (for counts).
#include <ATen/ATen.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "latentflow/sdk.h"

namespace {

std::atomic<int> g_inside{0};

// Waits (up to timeout_ms) until `parties` calls are inside at the same time; outputs 1 if they were.
class Barrier final : public lf::Node {
 public:
  Barrier(int64_t parties, int64_t timeout_ms) : parties_(parties), timeout_ms_(timeout_ms) {}
  void run(lf::CallContext& ctx) override {
    const int now = ++g_inside;
    bool met = now >= parties_;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
    while (!met && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      met = g_inside.load() >= parties_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the other party see us
    --g_inside;
    ctx.set(0, at::scalar_tensor(met ? 1.0 : 0.0));
  }

 private:
  int64_t parties_, timeout_ms_;
};

class Constant final : public lf::Node {
 public:
  explicit Constant(double v) : v_(v) {}
  void run(lf::CallContext& ctx) override { ctx.set(0, at::scalar_tensor(v_)); }

 private:
  double v_;
};

class ToInt final : public lf::Node {
 public:
  void run(lf::CallContext& ctx) override { ctx.set(0, ctx.in(0).round().to(at::kLong)); }
};

void register_nodes(lf::Registry& r) {
  r.add(lf::SchemaBuilder("enginetest.barrier")
            .category("test")
            .doc("outputs 1 when `parties` calls were inside at once")
            .output("met", {})
            .param("parties", lf::ParamType::Int, 2, "calls to wait for", 1)
            .param("timeout_ms", lf::ParamType::Int, 5000, "how long to wait", 1)
            .build(),
        [](const lf::Params& p, lf::BuildContext&) {
          return std::make_unique<Barrier>(p.i("parties"), p.i("timeout_ms"));
        });
  r.add(lf::SchemaBuilder("enginetest.constant")
            .category("test")
            .doc("a 0-dim constant")
            .output("y", {})
            .param("value", lf::ParamType::Float, 0.0, "the value")
            .build(),
        [](const lf::Params& p, lf::BuildContext&) {
          // JSON cannot spell NaN: a value of -1 stands for it.
          const double v = p.f("value");
          return std::make_unique<Constant>(v == -1 ? std::nan("") : v);
        });
  r.add(lf::SchemaBuilder("enginetest.to_int")
            .category("test")
            .doc("x rounded to i64")
            .input("x", {"..."})
            .output("y", {"..."}, "", lf::DType::Int64)
            .build(),
        [](const lf::Params&, lf::BuildContext&) { return std::make_unique<ToInt>(); });
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
