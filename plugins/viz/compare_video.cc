#include "compare_video.h"

#include <ATen/ATen.h>

namespace lf_viz {
namespace {

class CompareVideo final : public lf::Node {
 public:
  explicit CompareVideo(const lf::Params& p) : batch_(p.i("batch")), offset_(p.f("offset")) {}

  void run(lf::CallContext& ctx) override {
    const auto& truth = ctx.in(0);
    const auto& model = ctx.in(1);
    if (!truth.sizes().equals(model.sizes()))
      throw std::invalid_argument("viz.compare_video: truth " + c10::str(truth.sizes()) + " and model " +
                                  c10::str(model.sizes()) + " differ in shape");
    const int64_t b = std::min(batch_, truth.size(0));
    const auto t = truth.detach().narrow(0, 0, b).to(at::kFloat);
    const auto m = model.detach().narrow(0, 0, b).to(at::kFloat);
    const auto rows = at::cat({t + offset_, m + offset_, (m - t + 1) / 2}, 2);  // [b, T, 3H, W, 3]
    const int64_t T = rows.size(1), H = rows.size(2), W = rows.size(3);
    ctx.set(0, rows.permute({1, 2, 0, 3, 4}).reshape({T, H, b * W, 3}).clamp(0, 1));
  }

 private:
  int64_t batch_;
  double offset_;
};

}  // namespace

lf::NodeSchema CompareVideoSchema() {
  return lf::SchemaBuilder("viz.compare_video")
      .category("viz")
      .doc("Truth, model and error rows per time step, sequences side by side: Dreamer's open-loop video")
      .input("truth", {"B", "T", "H", "W", "3"}, "observed frames")
      .input("model", {"B", "T", "H", "W", "3"}, "the model's frames")
      .output("video", {"T", "*", "*", "3"}, "frames [T, 3H, b W, 3] in [0, 1]")
      .param("batch", lf::ParamType::Int, 6, "sequences shown side by side", 1)
      .param("offset", lf::ParamType::Float, 0.5, "added to truth and model to bring them to [0, 1]")
      .build();
}

std::unique_ptr<lf::Node> MakeCompareVideo(const lf::Params& p, lf::BuildContext&) { return std::make_unique<CompareVideo>(p); }

}  // namespace lf_viz
