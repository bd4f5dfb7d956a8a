#include "linear_schedule.h"

#include <algorithm>
#include <stdexcept>

#include <ATen/ATen.h>

namespace lf::rl {
namespace {

class LinearSchedule final : public Node {
  enum In { kStep };
  enum Out { kValue };

 public:
  LinearSchedule(double start, double end, double duration) : start_(start), end_(end), duration_(duration) {}
  void run(CallContext& ctx) override {
    const double m = std::clamp(ctx.in(kStep).item<double>() / duration_, 0.0, 1.0);
    ctx.set(kValue, at::scalar_tensor((1 - m) * start_ + m * end_, at::kFloat));
  }

 private:
  double start_, end_, duration_;
};

}  // namespace

NodeSchema LinearScheduleSchema() {
  return SchemaBuilder("rl.linear_schedule")
      .category("rl")
      .doc("start -> end linearly over duration steps of a counter, then end")
      .input("step", {}, "the counter's value")
      .output("value", {}, "the scheduled value")
      .param("start", ParamType::Float, nullptr, "value at step 0")
      .param("end", ParamType::Float, nullptr, "value from step duration on")
      .param("duration", ParamType::Float, nullptr, "steps from start to end")
      .build();
}

std::unique_ptr<Node> MakeLinearSchedule(const Params& p, BuildContext&) {
  if (p.f("duration") <= 0) throw std::invalid_argument("rl.linear_schedule: duration must be above 0");
  return std::make_unique<LinearSchedule>(p.f("start"), p.f("end"), p.f("duration"));
}

}  // namespace lf::rl
