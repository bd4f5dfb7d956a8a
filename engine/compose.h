// Graph composition: from the file a user names to the one document that runs.
//
//   1. extends  the file is applied to its base (a path relative to it) as a JSON merge patch
//               (RFC 7386: objects merge, null deletes); a base may extend another. A list of
//               bases is merged in order first: a base, then mixins patching it.
//   2. presets  each --preset NAME applies the graph's "presets": {NAME: {"path.to.key": value}}.
//   3. --set    each override, after the presets.
//   4. vars     every "${expr}" string is replaced by its value over "vars" and the environments'
//               facts ("${env.action_size}", "${env.obs_size}"); see expr.h.
// The result holds no extends, presets or vars. A source map remembers which file (or override)
// wrote each part, so that errors found in the expansion point where the user wrote the value.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diagnostics.h"

namespace lf {

class NodeRegistry;

// What the user names on the command line.
struct GraphSource {
  std::string path;
  std::vector<std::string> presets;  // --preset, applied in order
  std::vector<std::string> sets;     // --set, applied after the presets
};

class SourceMap {
 public:
  struct Origin {
    std::string file;     // a graph file, or "--set k=v"
    std::string pointer;  // where in it the value at the recorded pointer was written
  };
  // The value at `pointer` of the expansion (and all below it) was written at `origin`.
  void wrote(const std::string& pointer, Origin origin);
  // The value at `pointer` was copied from a document whose sources are `from`.
  void adopt(const SourceMap& from, const std::string& pointer);
  // The file and pointer in it where the value at `pointer` was written.
  Origin locate(const std::string& pointer) const;
  // Points a diagnostic that names no file into the file that wrote its value.
  void relocate(Diagnostic& d) const;

 private:
  std::map<std::string, Origin> at_;
};

struct ExpandedGraph {
  nlohmann::json doc;
  SourceMap sources;
  // The spec (Node::spec()) of each block of category "env", read from a one-instance copy.
  std::map<std::string, nlohmann::json> env_specs;
  // The vars each expanded string used, by its pointer, and their values.
  std::map<std::string, std::vector<std::string>> var_uses;
  std::map<std::string, nlohmann::json> var_values;
  std::vector<std::string> presets;  // the names of the presets the graph declares

  // Points a diagnostic about the expansion at where the user wrote the value; a value computed
  // from vars also names each var's value and where it was set.
  void explain(Diagnostic& d) const;
};

// Expands `src`. Unreadable or malformed top-level files and bad --set paths throw InputError;
// every other problem is reported in `diags`, already located.
ExpandedGraph expand_graph(const GraphSource& src, const NodeRegistry& registry, Diagnostics& diags);
// The same for a document in memory, named `src.path` (its extends are relative to that path).
ExpandedGraph expand_graph(nlohmann::json doc, const GraphSource& src, const NodeRegistry& registry,
                           Diagnostics& diags);

}  // namespace lf
