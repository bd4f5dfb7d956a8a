#include "preprocess_image.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <ATen/ATen.h>
#include "latentflow/node_random.h"
#include <ATen/Parallel.h>

namespace lf_nn {
namespace {

// Element i of a call's noise stream: SplitMix64 (Steele, Lea and Flood 2014) at counter i. A
// counter-based stream fills the batch in parallel, where a generator's own uniform_ runs serially
// and costs most of the node's time; its key is drawn from the node's generator, so seeds and
// checkpoints govern it all the same.
inline uint64_t splitmix64(uint64_t key, int64_t i) {
  uint64_t z = key + (static_cast<uint64_t>(i) + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The exponent of the finest grid on which f32 represents every value in [offset, offset + 1):
// 2^(e - 24) where 2^e bounds the magnitudes there (-25 for offset -0.5, -24 for offset 0).
int grid_exponent(double offset) {
  const double m = std::max(std::abs(offset), std::abs(offset + 1));
  int e = std::ilogb(m);
  if (std::ldexp(1.0, e) < m) ++e;
  return e - 24;
}

class PreprocessImage final : public lf::Node {
  enum In { kImage };
  enum Out { kOut };
 public:
  PreprocessImage(const lf::Params& p, uint64_t seed)
      : bits_(static_cast<int>(p.i("bits"))), noise_(p.b("noise")), offset_(static_cast<float>(p.f("offset"))),
        grid_(grid_exponent(p.f("offset"))), rng_(seed) {}

  void run(lf::CallContext& ctx) override {
    const at::Tensor& image = ctx.in(kImage);
    if (image.scalar_type() != at::kByte)
      throw std::invalid_argument(std::string("nn.preprocess_image: image must be u8, got ") +
                                  at::toString(image.scalar_type()));
    const at::Tensor in = image.to(at::kCPU).contiguous();
    at::Tensor out = at::empty(in.sizes(), at::TensorOptions().dtype(at::kFloat));
    const uint8_t* src = in.data_ptr<uint8_t>();
    float* dst = out.data_ptr<float>();
    const int shift = 8 - bits_;
    const float bin = std::ldexp(1.f, -bits_);
    // The noise is k * 2^grid with k uniform in [0, 2^(-grid - bits)): uniform over the bin on the
    // finest grid f32 has across the output range, so that every sum below is exact and stays
    // inside the bin (for an offset on that grid).
    const int noise_shift = 64 - (-grid_ - bits_);
    const float unit = std::ldexp(1.f, grid_);
    const uint64_t key = noise_ ? rng_.random64() : 0;
    at::parallel_for(0, in.numel(), 1 << 15, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        // floor(pixel / 2^(8 - bits)) / 2^bits + offset, exactly.
        const float edge = static_cast<float>(src[i] >> shift) * bin + offset_;
        dst[i] = noise_ ? edge + static_cast<float>(splitmix64(key, i) >> noise_shift) * unit : edge;
      }
    });
    ctx.set(kOut, out.to(image.device()));
  }

  void save_state(lf::TensorDict& out) const override { rng_.save(out); }

  void load_state(const lf::TensorDict& in) override { rng_.load(in); }

 private:
  const int bits_;
  const bool noise_;
  const float offset_;
  const int grid_;
  lf::NodeRandom rng_;
};

}  // namespace

lf::NodeSchema PreprocessImageSchema() {
  return lf::SchemaBuilder("nn.preprocess_image")
      .category("nn")
      .doc("PlaNet's image preprocessing: u8 to floor(x / 2^(8-bits)) / 2^bits + U(0, 2^-bits) + offset")
      .input("image", {"...", "*", "*", "3"}, "u8 pixels, channels-last", lf::DType::UInt8)
      .output("image", {"...", "*", "*", "3"}, "f32 in [offset, offset + 1), channels-last")
      .param("bits", lf::ParamType::Int, 5, "colour depth kept per channel", 1, 8)
      .param("noise", lf::ParamType::Bool, true, "add uniform dequantization noise in [0, 2^-bits)")
      .param("offset", lf::ParamType::Float, -0.5, "added last: -0.5 centres the pixels, 0 gives [0, 1)", -1.0, 1.0)
      .stateful()
      .build();
}

std::unique_ptr<lf::Node> MakePreprocessImage(const lf::Params& p, lf::BuildContext& ctx) {
  return std::make_unique<PreprocessImage>(p, ctx.seed());
}

}  // namespace lf_nn
