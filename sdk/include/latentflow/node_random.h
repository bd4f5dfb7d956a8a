// A node's own random generator: how sampling nodes draw, seed and checkpoint their noise.
//
// Seeded from the block's seed (BuildContext::seed), so the same graph and --seed give the same
// draws. Draws are made on a CPU generator and moved to the target tensor's device, so they depend
// on the seed only. A node saves it in its checkpoint state under "generator":
//
//   class Noise final : public lf::Node {
//    public:
//     explicit Noise(uint64_t seed) : rng_(seed) {}
//     void run(lf::CallContext& ctx) override { ctx.set(0, ctx.in(0) + rng_.normal(ctx.in(0).sizes(), ctx.in(0))); }
//     void save_state(lf::TensorDict& out) const override { rng_.save(out); }
//     void load_state(const lf::TensorDict& in) override { rng_.load(in); }
//    private:
//     lf::NodeRandom rng_;
//   };
#pragma once

#include <cstdint>
#include <mutex>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "latentflow/node.h"

namespace lf {

class NodeRandom {
 public:
  explicit NodeRandom(uint64_t seed) : gen_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

  // N(0, 1) and U[0, 1) draws of `like`'s dtype, on its device.
  at::Tensor normal(at::IntArrayRef sizes, const at::Tensor& like) {
    return at::randn(sizes, gen_, like.options().device(at::kCPU).requires_grad(false)).to(like.device());
  }
  at::Tensor uniform(at::IntArrayRef sizes, const at::Tensor& like) {
    return at::rand(sizes, gen_, like.options().device(at::kCPU).requires_grad(false)).to(like.device());
  }
  // 64 random bits (a key for a counter-based stream).
  uint64_t random64() {
    std::lock_guard<std::mutex> lock(gen_.mutex());
    return gen_.get<at::CPUGeneratorImpl>()->random64();
  }
  // For other ATen draws (randint, multinomial) on CPU tensors.
  at::Generator& generator() { return gen_; }

  void save(TensorDict& out) const { out["generator"] = gen_.get_state(); }
  void load(const TensorDict& in) { gen_.set_state(state_at(in, "generator")); }

 private:
  at::Generator gen_;
};

}  // namespace lf
