// The base of the planners' nodes: a node whose only state is its own random generator, seeded
// from the block's seed, so the same graph and --seed give the same actions, and a checkpoint that
// saves the generator resumes the same sequence of draws.
#pragma once

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "latentflow/node.h"

namespace lf::planners {

class GeneratorNode : public Node {
 public:
  explicit GeneratorNode(uint64_t seed) : gen_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

  void save_state(TensorDict& out) const override { out["generator"] = gen_.get_state(); }
  void load_state(const TensorDict& in) override { gen_.set_state(state_at(in, "generator")); }

 protected:
  // N(0, 1) and U[0, 1) draws of `like`'s dtype, on its device. Drawn on the CPU generator and
  // moved, so that the draws depend on the seed only.
  at::Tensor normal(at::IntArrayRef sizes, const at::Tensor& like) {
    auto eps = at::randn(sizes, gen_, like.options().device(at::kCPU).requires_grad(false));
    return eps.to(like.device());
  }
  at::Tensor uniform(at::IntArrayRef sizes, const at::Tensor& like) {
    auto u = at::rand(sizes, gen_, like.options().device(at::kCPU).requires_grad(false));
    return u.to(like.device());
  }

  at::Generator& generator() { return gen_; }

 private:
  at::Generator gen_;
};

}  // namespace lf::planners
