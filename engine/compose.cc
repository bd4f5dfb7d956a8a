#include "compose.h"

#include <filesystem>
#include <set>
#include <utility>

#include "expr.h"
#include "json_file.h"
#include "node_registry.h"
#include "param_values.h"

namespace lf {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// The entry of a map keyed by JSON pointers whose key is the longest prefix of `pointer` that ends
// at a token boundary ("/a/b" for "/a/b/c", "" for the root), or map.end().
template <typename Map>
typename Map::const_iterator longest_prefix(const Map& map, const std::string& pointer) {
  for (std::string p = pointer;; p = p.substr(0, p.rfind('/'))) {
    if (auto it = map.find(p); it != map.end()) return it;
    if (p.empty()) return map.end();
  }
}

// The entries of a map keyed by JSON pointers that lie strictly below `pointer`, as [first, last).
template <typename Map>
auto entries_below(Map& map, const std::string& pointer) {
  const std::string prefix = pointer + "/";
  auto first = map.lower_bound(prefix), last = first;
  while (last != map.end() && last->first.compare(0, prefix.size(), prefix) == 0) ++last;
  return std::pair{first, last};
}

// "a -> b -> a": the part of `chain` from `key` on, closed by `key` again.
std::string cycle_text(const std::vector<std::string>& chain, const std::string& key) {
  std::string out;
  for (auto it = std::find(chain.begin(), chain.end(), key); it != chain.end(); ++it) out += *it + " -> ";
  return out + key;
}

}  // namespace

void SourceMap::wrote(const std::string& pointer, Origin origin) {
  // What was written below `pointer` before is replaced with it.
  const auto [first, last] = entries_below(at_, pointer);
  at_.erase(first, last);
  at_[pointer] = std::move(origin);
}

void SourceMap::adopt(const SourceMap& from, const std::string& pointer) {
  wrote(pointer, from.locate(pointer));
  const auto [first, last] = entries_below(from.at_, pointer);
  at_.insert(first, last);
}

SourceMap::Origin SourceMap::locate(const std::string& pointer) const {
  const auto it = longest_prefix(at_, pointer);
  if (it == at_.end()) return {};
  return {it->second.file, it->second.pointer + pointer.substr(it->first.size())};
}

void SourceMap::relocate(Diagnostic& d) const {
  if (!d.file.empty()) return;
  Origin o = locate(d.where);
  if (o.file.empty()) return;
  d.file = std::move(o.file);
  d.where = std::move(o.pointer);
}

void ExpandedGraph::explain(Diagnostic& d) const {
  if (!d.file.empty()) return;
  if (const auto it = longest_prefix(var_uses, d.where); it != var_uses.end()) {
    std::string note;
    for (const auto& name : it->second) {
      const SourceMap::Origin o = sources.locate("/vars/" + pointer_token(name));
      const auto v = var_values.find(name);
      note += std::string(note.empty() ? " (" : "; ") + name + " = " + (v != var_values.end() ? v->second.dump() : "?") +
              ", set at " + o.file + (is_override(o.file) ? "" : ":" + o.pointer);
    }
    if (!note.empty()) d.message += note + ")";
  }
  sources.relocate(d);
}

namespace {


std::vector<std::string> keys_of(const json& obj) {
  std::vector<std::string> out;
  if (obj.is_object())
    for (auto it = obj.begin(); it != obj.end(); ++it) out.push_back(it.key());
  return out;
}

// What a factory may ask while an environment is built only to read its spec: nothing but its name.
class SpecBuildContext final : public BuildContext {
 public:
  explicit SpecBuildContext(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  uint64_t seed() const override { return 0; }
  torch::nn::Module* module_of(const std::string&) const override { return nullptr; }
  Node* node_of(const std::string& block) const override {
    throw std::invalid_argument("an environment read at load time cannot use block '" + block + "'");
  }
  std::shared_ptr<FlowHandle> flow(const std::string& name) override {
    throw std::invalid_argument("an environment read at load time cannot call flow '" + name + "'");
  }

 private:
  std::string name_;
};

class Composer {
 public:
  Composer(const NodeRegistry& registry, Diagnostics& diags, ExpandedGraph& out)
      : reg_(registry), d_(diags), out_(out) {}

  // `doc`: the named file's content when it is already in memory.
  void run(const GraphSource& src, const json* doc) {
    std::vector<std::string> chain;
    Loaded loaded = load(src.path, chain, nullptr, doc);
    out_.doc = std::move(loaded.doc);
    out_.sources = std::move(loaded.sources);
    if (!out_.doc.is_object()) return;  // parse_graph reports it
    if (const auto p = out_.doc.find("presets"); p != out_.doc.end()) out_.presets = keys_of(*p);
    apply_presets(src);
    for (const auto& s : src.sets) {
      const std::string written = apply_override(out_.doc, s);
      out_.sources.wrote(written, {"--set " + s, written});
    }
    expand_vars();
    out_.doc.erase("vars");
    out_.doc.erase("presets");
  }

 private:
  void error(const std::string& where, const std::string& message) {
    // One broken var is reached from every place that uses it: say it once.
    if (!reported_.insert(where + "\n" + message).second) return;
    Diagnostic diag{where, message, {}};
    out_.sources.relocate(diag);
    d_.items().push_back(std::move(diag));
  }

  // A document and where each part of it was written.
  struct Loaded {
    json doc = json::object();
    SourceMap sources;
  };

  // Reads `path` and the bases it extends. `from` is the child naming it (null for the file the
  // user named, whose read errors are thrown).
  Loaded load(const std::string& path, std::vector<std::string>& chain, const std::string* from,
              const json* in_memory = nullptr) {
    Loaded out;
    std::error_code ec;  // a path the OS refuses (too long) is read, and reported, as it is
    const auto canonical = fs::weakly_canonical(path, ec);
    const std::string key = ec ? path : canonical.string();
    if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
      d_.error_in(*from, "/extends", "extends cycle: " + cycle_text(chain, key));
      return out;
    }
    Loaded self;
    try {
      self.doc = in_memory ? *in_memory : read_json_file(path);
    } catch (const InputError& e) {
      if (!from) throw;
      d_.error_in(*from, "/extends", std::string("cannot read the base graph: ") + e.what());
      return out;
    }
    self.sources.wrote("", {path, ""});
    if (!self.doc.is_object() || !self.doc.contains("extends")) return self;
    json ext = self.doc["extends"];
    self.doc.erase("extends");
    if (ext.is_string()) ext = json::array({ext});
    bool first = true;
    chain.push_back(key);
    for (size_t i = 0; i < (ext.is_array() ? ext.size() : 0); ++i) {
      if (!ext[i].is_string()) {
        d_.error_in(path, "/extends/" + std::to_string(i), std::string("expected the path of a base graph, got ") + ext[i].type_name());
        continue;
      }
      Loaded base = load((fs::path(path).parent_path() / ext[i].get<std::string>()).string(), chain, &path);
      if (first) out = std::move(base);
      else merge(out, base, "");
      first = false;
    }
    chain.pop_back();
    if (!ext.is_array()) {
      d_.error_in(path, "/extends", std::string("expected the path of a base graph or a list of them, got ") + ext.type_name());
    }
    merge(out, self, "");
    return out;
  }

  // RFC 7386 merge patch of `patch` into `target`, which adopts the sources of what it writes.
  static void merge(Loaded& target, const Loaded& patch, const std::string& ptr) {
    merge(target.doc, patch.doc, ptr, target.sources, patch.sources);
  }
  static void merge(json& target, const json& patch, const std::string& ptr, SourceMap& sources,
                    const SourceMap& patch_sources) {
    if (!patch.is_object()) {
      target = patch;
      sources.adopt(patch_sources, ptr);
      return;
    }
    if (!target.is_object()) {
      target = json::object();
      sources.wrote(ptr, patch_sources.locate(ptr));
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      const std::string at = pointer_join(ptr, it.key());
      if (it.value().is_null()) {
        target.erase(it.key());
        sources.adopt(patch_sources, at);
      } else {
        merge(target[it.key()], it.value(), at, sources, patch_sources);
      }
    }
  }

  void apply_presets(const GraphSource& src) {
    const json presets = out_.doc.value("presets", json::object());
    for (const auto& name : src.presets) {
      if (!presets.is_object() || !presets.contains(name)) {
        d_.error_in("--preset " + name, "",
                    "no preset '" + name + "' in " + src.path +
                        (keys_of(presets).empty() ? " (it declares none)" : suggest(name, keys_of(presets))));
        continue;
      }
      const std::string ptr = pointer_join("/presets", name);
      const json& preset = presets[name];
      if (!preset.is_object()) {
        error(ptr, std::string("expected an object of \"path.to.key\": value, got ") + preset.type_name());
        continue;
      }
      for (auto it = preset.begin(); it != preset.end(); ++it) {
        const SourceMap::Origin written_at = out_.sources.locate(pointer_join(ptr, it.key()));
        try {
          out_.sources.wrote(set_path(out_.doc, it.key(), it.value()), written_at);
        } catch (const std::invalid_argument& e) {
          d_.error_in(written_at.file, written_at.pointer, e.what());
        }
      }
    }
  }

  // Replaces every "${...}" outside vars and presets; then evaluates every var, so that errors in
  // unused ones are reported too.
  void expand_vars() {
    vars_ = out_.doc.value("vars", json::object());
    if (!vars_.is_object()) {
      error("/vars", std::string("expected an object of named values, got ") + vars_.type_name());
      vars_ = json::object();
    }
    for (auto it = out_.doc.begin(); it != out_.doc.end(); ++it) {
      if (it.key() != "vars" && it.key() != "presets") expand(it.value(), pointer_join("", it.key()));
    }
    out_.var_values = values_;
    for (const auto& name : keys_of(vars_)) {
      try {
        var(name);
      } catch (const ExprError& e) {
        error(e.where.empty() ? pointer_join("/vars", name) : e.where, e.what());
      }
    }
    // The other environments' specs, for validation's action-size check. One that cannot be built
    // here (bad params, no GL) is left to validation and to the run, which say why.
    const json blocks = out_.doc.value("blocks", json::object());
    for (const auto& name : keys_of(blocks)) {
      if (is_env(blocks[name])) {
        try {
          env_spec(name);
        } catch (const ExprError&) {
        }
      }
    }
  }

  // Expands the strings of `v` in place, noting the vars each used; reports errors at their pointers.
  void expand(json& v, const std::string& ptr) {
    if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) expand(v[i], ptr + "/" + std::to_string(i));
      return;
    }
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) expand(it.value(), pointer_join(ptr, it.key()));
      return;
    }
    std::vector<std::string> uses;
    uses_ = &uses;
    try {
      expand_throwing(v, ptr);
    } catch (const ExprError& e) {
      error(e.where.empty() ? ptr : e.where, e.what());
    }
    uses_ = nullptr;
    if (!uses.empty()) out_.var_uses[ptr] = std::move(uses);
  }

  // As expand, for values a lookup needs: the first error is thrown to the expression asking.
  void expand_throwing(json& v, const std::string& ptr) {
    if (v.is_string()) {
      if (auto x = expand_string(v.get_ref<const std::string&>(), lookup_)) v = std::move(*x);
    } else if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) expand_throwing(v[i], ptr + "/" + std::to_string(i));
    } else if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) expand_throwing(it.value(), pointer_join(ptr, it.key()));
    }
  }

  json lookup(const std::string& name) {
    if (const auto dot = name.find('.'); dot != std::string::npos) {
      return env_fact(name.substr(0, dot), name.substr(dot + 1));
    }
    if (vars_.contains(name)) {
      if (uses_ && std::find(uses_->begin(), uses_->end(), name) == uses_->end()) uses_->push_back(name);
      std::vector<std::string>* outer = std::exchange(uses_, nullptr);  // only the string's own vars
      json v = var(name);
      uses_ = outer;
      return v;
    }
    throw ExprError("unknown var '" + name + "'" +
                    (vars_.empty() ? " (the graph declares no \"vars\")" : suggest(name, keys_of(vars_))));
  }

  json var(const std::string& name) {
    if (auto it = values_.find(name); it != values_.end()) return it->second;
    const std::string ptr = pointer_join("/vars", name);
    if (std::find(evaluating_.begin(), evaluating_.end(), name) != evaluating_.end()) {
      throw ExprError("cycle among vars: " + cycle_text(evaluating_, name), ptr);
    }
    evaluating_.push_back(name);
    json v = vars_[name];
    try {
      expand_throwing(v, ptr);
    } catch (ExprError& e) {
      evaluating_.pop_back();
      if (e.where.empty()) e.where = ptr;
      throw;
    }
    evaluating_.pop_back();
    return values_[name] = v;
  }

  bool is_env(const json& block) const {
    if (!block.is_object() || !block.contains("type") || !block["type"].is_string()) return false;
    const NodeType* t = reg_.find(block["type"].get<std::string>());
    return t && t->schema.category == "env";
  }

  // "env.action_size": a fact of an environment block's spec.
  json env_fact(const std::string& block, const std::string& fact) {
    const json& spec = env_spec(block);
    if (fact == "action_size" && spec.contains("action") && spec["action"].contains("size")) return spec["action"]["size"];
    if (fact == "obs_size" && spec.contains("observation_size")) return spec["observation_size"];
    if (spec.contains(fact) && !spec[fact].is_null()) return spec[fact];
    std::vector<std::string> facts = {"action_size", "obs_size"};
    for (const auto& k : keys_of(spec)) facts.push_back(k);
    throw ExprError("environment block '" + block + "' has no fact '" + fact + "'" + suggest(fact, facts));
  }

  // The spec of an environment block, built once with its params expanded and a single instance.
  const json& env_spec(const std::string& name) {
    if (auto it = out_.env_specs.find(name); it != out_.env_specs.end()) return it->second;
    const json blocks = out_.doc.value("blocks", json::object());
    if (!blocks.is_object() || !blocks.contains(name)) {
      throw ExprError("no block named '" + name + "'" + suggest(name, keys_of(blocks)));
    }
    if (reading_.count(name)) throw ExprError("block '" + name + "' needs its own spec to be read");
    const std::string ptr = pointer_join("/blocks", name);
    json block = blocks[name];
    reading_.insert(name);
    try {
      expand_throwing(block, ptr);
    } catch (...) {
      reading_.erase(name);
      throw;
    }
    reading_.erase(name);
    const NodeType* type = block.is_object() && block.contains("type") && block["type"].is_string()
                               ? reg_.find(block["type"].get<std::string>())
                               : nullptr;
    if (!type) throw ExprError("block '" + name + "' has no known node type to read a spec from");
    if (type->schema.category != "env") {
      throw ExprError("block '" + name + "' (" + type->schema.name + ") is not an environment; sizes come from " +
                      "blocks of category env");
    }
    Diagnostics bad;
    json params = resolve_params(type->schema, block, ptr, bad);
    if (!bad.empty()) {
      throw ExprError("cannot read the spec of environment block '" + name + "': " + bad.items()[0].message,
                      bad.items()[0].where);
    }
    if (params.contains("envs")) params["envs"] = 1;  // the spec is per instance
    json spec;
    try {
      SpecBuildContext ctx(name);
      spec = type->factory(Params(params), ctx)->spec();
    } catch (const std::exception& e) {
      throw ExprError("cannot build environment block '" + name + "' to read its spec: " + e.what());
    }
    if (!spec.is_object()) throw ExprError("environment block '" + name + "' (" + type->schema.name + ") gives no spec");
    return out_.env_specs[name] = std::move(spec);
  }

  const NodeRegistry& reg_;
  Diagnostics& d_;
  ExpandedGraph& out_;
  json vars_;
  std::map<std::string, json> values_;
  std::vector<std::string> evaluating_;
  std::set<std::string> reading_;
  std::set<std::string> reported_;
  std::vector<std::string>* uses_ = nullptr;  // the vars the string being expanded uses
  ExprLookup lookup_ = [this](const std::string& name) { return lookup(name); };
};

}  // namespace

ExpandedGraph expand_graph(const GraphSource& src, const NodeRegistry& registry, Diagnostics& diags) {
  ExpandedGraph out;
  Composer(registry, diags, out).run(src, nullptr);
  return out;
}

ExpandedGraph expand_graph(nlohmann::json doc, const GraphSource& src, const NodeRegistry& registry,
                           Diagnostics& diags) {
  ExpandedGraph out;
  Composer(registry, diags, out).run(src, &doc);
  return out;
}

}  // namespace lf
