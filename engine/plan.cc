#include "plan.h"

#include <chrono>

#include <ATen/ThreadLocalState.h>
#include <c10/util/Exception.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "runtime.h"

namespace lf {

const at::Tensor& unconnected() {
  static const at::Tensor none;
  return none;
}

FlowPlan::FlowPlan(const Flow& flow, Runtime& rt) : flow_(flow), num_inputs_(flow.inputs.size()) {
  const auto& nodes = flow.nodes;
  std::vector<size_t> base(nodes.size());
  size_t total = num_inputs_;
  for (size_t i = 0; i < nodes.size(); ++i) {
    base[i] = total;
    total += nodes[i].schema->outputs.size();
  }
  slots_.resize(total);  // never resized again: steps keep pointers into it
  auto slot_of = [&](const Source& s) -> size_t {
    if (s.flow_input)
      if (const int i = flow.input_index(s.port); i >= 0) return static_cast<size_t>(i);
    const int ni = flow.node_index(s.node);
    return base[ni] + static_cast<size_t>(nodes[ni].schema->output_index(s.port));
  };

  std::vector<size_t> level(nodes.size(), 0);
  size_t depth = 0;
  for (size_t idx : flow.order) {
    const FlowNode& n = nodes[idx];
    Step s{rt.node_for(n, flow, owned_), n.schema, {}, base[idx], nullptr, &n};
    s.in.assign(n.schema->inputs.size(), &unconnected());
    for (const auto& w : n.inputs) s.in[n.schema->input_index(w.port)] = &slots_[slot_of(w.src)];
    if (Trace* t = rt.trace()) s.trace = t->entry(flow.name + "/" + n.name, n.schema->name);
    steps_.push_back(std::move(s));

    size_t lv = 0;
    for (const auto& w : n.inputs)
      if (!w.src.flow_input) lv = std::max(lv, level[flow.node_index(w.src.node)] + 1);
    for (const auto& a : n.after) lv = std::max(lv, level[flow.node_index(a)] + 1);
    level[idx] = lv;
    depth = std::max(depth, lv + 1);
  }
  waves_.resize(depth);
  for (size_t pos = 0; pos < flow.order.size(); ++pos) waves_[level[flow.order[pos]]].push_back(pos);
  for (const auto& w : waves_)
    if (w.size() > 1) arena_ = rt.arena();
  for (const auto& w : flow.outputs) out_slots_.push_back(slot_of(w.src));
}

void FlowPlan::run(const at::Tensor* const* inputs, at::Tensor* outputs) {
  for (size_t i = 0; i < num_inputs_; ++i) slots_[i] = *inputs[i];
  if (!arena_) {
    for (auto& s : steps_) run_step(s);
  } else {
    // Grad mode and other thread-local torch state follow the caller into TBB's workers.
    const at::ThreadLocalState tls;
    for (const auto& wave : waves_) {
      if (wave.size() == 1) {
        run_step(steps_[wave[0]]);
        continue;
      }
      arena_->execute([&] {
        tbb::parallel_for(size_t{0}, wave.size(), [&](size_t i) {
          at::ThreadLocalStateGuard guard(tls);
          run_step(steps_[wave[i]]);
        });
      });
    }
  }
  for (size_t o = 0; o < out_slots_.size(); ++o) outputs[o] = slots_[out_slots_[o]];
  for (auto& t : slots_) t.reset();  // intermediates are freed now, not at the next call
}

void FlowPlan::run_step(Step& s) {
  CallContext ctx(*s.schema, s.in.data(), &slots_[s.out_base]);
  try {
    if (s.trace) {
      const auto t0 = std::chrono::steady_clock::now();
      s.node->run(ctx);
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0);
      s.trace->calls.fetch_add(1, std::memory_order_relaxed);
      s.trace->total_ns.fetch_add(ns.count(), std::memory_order_relaxed);
    } else {
      s.node->run(ctx);
    }
    for (size_t o = 0; o < s.schema->outputs.size(); ++o) {
      if (!slots_[s.out_base + o].defined()) {
        throw std::runtime_error("node did not set its output '" + s.schema->outputs[o].name + "'");
      }
    }
  } catch (const c10::Error& e) {
    // Torch's own message, without its C++ backtrace, located at the node that failed.
    throw std::runtime_error(s.decl->pointer + " (" + s.schema->name + "): " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw std::runtime_error(s.decl->pointer + " (" + s.schema->name + "): " + e.what());
  }
}

}  // namespace lf
