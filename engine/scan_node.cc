#include "scan_node.h"

#include <algorithm>
#include <stdexcept>

#include <ATen/ops/empty.h>
#include <ATen/ops/stack.h>

namespace lf {

ScanNode::ScanNode(const FlowNode& decl, const Flow& step, Runtime& rt, std::vector<bool> read)
    : body_(step, rt), reverse_(decl.reverse), role_(step.inputs.size(), Role::Constant),
      carry_from_(step.inputs.size(), 0), read_(std::move(read)), step_in_(step.inputs.size()),
      step_out_(body_.num_outputs()) {
  for (size_t i = 0; i < step.inputs.size(); ++i) {
    const std::string& name = step.inputs[i].name;
    if (std::find(decl.over.begin(), decl.over.end(), name) != decl.over.end()) role_[i] = Role::Sliced;
    for (const auto& [in, out] : decl.carry) {
      if (in != name) continue;
      role_[i] = Role::Carried;
      carry_from_[i] = static_cast<size_t>(step.schema.output_index(out));
    }
  }
  for (auto& t : step_in_) step_ptrs_.push_back(&t);
}

void ScanNode::run(CallContext& ctx) {
  int64_t steps = -1;
  for (size_t i = 0; i < role_.size(); ++i) {
    step_in_[i] = ctx.in(i);
    if (role_[i] != Role::Sliced) continue;
    const at::Tensor& x = ctx.in(i);
    if (x.dim() < 2) {
      throw std::invalid_argument("sliced input " + std::to_string(i) + " has " + std::to_string(x.dim()) +
                                  " dims; a scan slices axis 1 of [B, T, ...]");
    }
    if (steps >= 0 && x.size(1) != steps) {
      throw std::invalid_argument("sliced inputs differ in length along axis 1: " + std::to_string(steps) +
                                  " and " + std::to_string(x.size(1)));
    }
    steps = x.size(1);
  }
  std::vector<std::vector<at::Tensor>> collected(step_out_.size());
  for (auto& c : collected) c.reserve(static_cast<size_t>(steps));
  for (int64_t k = 0; k < steps; ++k) {
    const int64_t t = reverse_ ? steps - 1 - k : k;
    for (size_t i = 0; i < role_.size(); ++i)
      if (role_[i] == Role::Sliced) step_in_[i] = ctx.in(i).select(1, t);
    body_.run(step_ptrs_.data(), step_out_.data());
    for (size_t o = 0; o < step_out_.size(); ++o)
      if (read_[o]) collected[o].push_back(step_out_[o]);
    for (size_t i = 0; i < role_.size(); ++i)
      if (role_[i] == Role::Carried) step_in_[i] = step_out_[carry_from_[i]];
  }
  for (size_t o = 0; o < collected.size(); ++o) {
    if (!read_[o]) {
      ctx.set(o, at::empty({0}));
      continue;
    }
    if (reverse_) std::reverse(collected[o].begin(), collected[o].end());
    ctx.set(o, at::stack(collected[o], 1));
  }
  // Drop the last step's tensors too: under grad mode they hold the whole unrolled graph alive.
  for (auto& t : step_in_) t.reset();
  for (auto& t : step_out_) t.reset();
}

}  // namespace lf
