#include "trace.h"

#include <algorithm>

namespace lf {

TraceEntry* Trace::entry(const std::string& node, const std::string& type) {
  std::lock_guard lock(mu_);
  auto it = index_.find(node);
  if (it != index_.end()) return it->second;
  TraceEntry& e = entries_.emplace_back();
  e.node = node;
  e.type = type;
  index_[node] = &e;
  return &e;
}

nlohmann::json Trace::to_json() const {
  std::lock_guard lock(mu_);
  std::vector<const TraceEntry*> sorted;
  for (const auto& e : entries_) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->total_ns > b->total_ns; });
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto* e : sorted) {
    const int64_t calls = e->calls.load();
    const double total_ms = e->total_ns.load() / 1e6;
    nodes.push_back({{"node", e->node},
                     {"type", e->type},
                     {"calls", calls},
                     {"total_ms", total_ms},
                     {"mean_ms", calls ? total_ms / static_cast<double>(calls) : 0.0}});
  }
  return {{"nodes", nodes}};
}

}  // namespace lf
