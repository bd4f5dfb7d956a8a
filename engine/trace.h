// Per-node call counts and times for `--trace FILE`. Entries are keyed by "<flow>/<node>": every
// call of that node, whichever plan or scan step made it, adds to one entry.
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace lf {

struct TraceEntry {
  std::string node, type;
  std::atomic<int64_t> calls{0};
  std::atomic<int64_t> total_ns{0};
};

class Trace {
 public:
  TraceEntry* entry(const std::string& node, const std::string& type);
  // {"nodes": [{"node", "type", "calls", "total_ms", "mean_ms"}...]}, slowest first.
  nlohmann::json to_json() const;

 private:
  mutable std::mutex mu_;
  std::deque<TraceEntry> entries_;  // stable addresses
  std::map<std::string, TraceEntry*> index_;
};

}  // namespace lf
