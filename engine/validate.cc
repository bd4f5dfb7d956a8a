#include "validate.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "param_values.h"
#include "schema_text.h"
#include "shapes.h"

namespace lf {

namespace {

class Validator {
 public:
  Validator(Graph& g, const NodeRegistry& r, const PluginLoader& p, Diagnostics& d)
      : g_(g), reg_(r), plugins_(p), d_(d) {}

  void run() {
    for (auto& [name, b] : g_.blocks) check_block(b);
    check_block_references();
    for (auto& [name, f] : g_.flows) check_flow(f);
    check_action_sizes();
    check_program(g_.program, "/program");
    check_counters();
  }

 private:
  const NodeType* find_type(const std::string& type, const std::string& where) {
    if (const NodeType* t = reg_.find(type)) return t;
    const auto dot = type.find('.');
    const std::string plugin = dot == std::string::npos ? type : type.substr(0, dot);
    if (plugins_.loaded().count(plugin)) {
      d_.error(where, "unknown node type '" + type + "'" + suggest(type, reg_.names()));
      return nullptr;
    }
    for (const auto& r : plugins_.refused()) {
      if (plugin_name(r.file) == plugin) {
        d_.error(where, "node type '" + type + "' needs plugin '" + plugin + "', which was refused: " + r.file +
                            ": " + r.message);
        return nullptr;
      }
    }
    std::string dirs;
    for (const auto& s : plugins_.searched()) dirs += (dirs.empty() ? "" : ", ") + s.string();
    d_.error(where, "node type '" + type + "': missing plugin '" + plugin + "' (no lf_" + plugin +
                        ".so in the plugin path: " + dirs + "; add a folder with --plugin-path)" +
                        suggest(type, reg_.names()));
    return nullptr;
  }

  // Every `action_size` param (blocks and inline nodes) must match the environments' action size,
  // when the graph's environments agree on one.
  void check_action_sizes() {
    std::map<int64_t, std::string> sizes;  // action size -> the first environment block with it
    for (const auto& [name, spec] : g_.env_specs) {
      if (spec.contains("action") && spec["action"].contains("size") && spec["action"]["size"].is_number_integer())
        sizes.emplace(spec["action"]["size"].get<int64_t>(), name);
    }
    if (sizes.size() != 1) return;
    const auto& [size, env] = *sizes.begin();
    auto check = [&](const nlohmann::json& params, const std::string& pointer) {
      if (!params.contains("action_size") || !params["action_size"].is_number_integer()) return;
      const int64_t got = params["action_size"].get<int64_t>();
      if (got == size) return;
      d_.error(pointer + "/action_size",
               "action_size " + std::to_string(got) + " disagrees with environment block '" + env + "' (" +
                   g_.env_specs.at(env).value("task", g_.blocks.at(env).type) + "), whose action size is " +
                   std::to_string(size) + " (write \"${" + env + ".action_size}\")");
    };
    for (const auto& [name, b] : g_.blocks) check(b.params, b.pointer);
    for (const auto& [fname, f] : g_.flows)
      for (const auto& n : f.nodes)
        if (n.kind == FlowNode::Kind::Inline) check(n.params, n.pointer);
  }

  void check_block(Block& b) {
    b.node_type = find_type(b.type, b.pointer + "/type");
    if (b.node_type) b.params = resolve_params(b.node_type->schema, b.raw, b.pointer, d_);
  }

  // Block-list params (an optimizer's blocks) must name existing blocks with weights; block and
  // flow params, an existing block or flow. Blocks referring to each other in a cycle are
  // reported when the runtime builds them.
  void check_block_references() {
    std::vector<std::string> names;
    for (const auto& [n, _] : g_.blocks) names.push_back(n);
    for (auto& [name, b] : g_.blocks) {
      if (!b.node_type) continue;
      check_refs(b.node_type->schema, b.params, b.pointer);
      for (const auto& p : b.node_type->schema.params) {
        if (p.type != ParamType::BlockList || !b.params.contains(p.name)) continue;
        const auto& list = b.params[p.name];
        for (size_t i = 0; i < list.size(); ++i) {
          const std::string ref = list[i].get<std::string>();
          const std::string where = b.pointer + "/" + p.name + "/" + std::to_string(i);
          auto it = g_.blocks.find(ref);
          if (it == g_.blocks.end()) {
            d_.error(where, "no block named '" + ref + "'" + suggest(ref, names));
          } else if (it->second.node_type && !it->second.node_type->schema.learns) {
            d_.error(where, "block '" + ref + "' (" + it->second.type + ") has no weights");
          }
        }
      }
    }
  }

  void check_refs(const NodeSchema& schema, const nlohmann::json& params, const std::string& pointer) {
    for (const auto& p : schema.params) {
      if ((p.type != ParamType::Block && p.type != ParamType::Flow) || !params.contains(p.name) ||
          !params[p.name].is_string())
        continue;
      const std::string ref = params[p.name].get<std::string>();
      if (ref.empty() && p.default_value == "") continue;  // an optional reference, left out
      std::vector<std::string> names;
      const bool found = p.type == ParamType::Block ? g_.blocks.count(ref) > 0 : g_.flows.count(ref) > 0;
      if (found) continue;
      if (p.type == ParamType::Block) for (const auto& [n, _] : g_.blocks) names.push_back(n);
      else for (const auto& [n, _] : g_.flows) names.push_back(n);
      d_.error(pointer + "/" + pointer_token(p.name),
               std::string("no ") + to_string(p.type) + " named '" + ref + "'" + suggest(ref, names));
    }
  }

  // The schema a node call is checked against; nullptr after reporting why there is none.
  const NodeSchema* node_schema(FlowNode& n, std::vector<std::string>& stack) {
    switch (n.kind) {
      case FlowNode::Kind::Block: {
        auto it = g_.blocks.find(n.target);
        if (it == g_.blocks.end()) {
          std::vector<std::string> names;
          for (const auto& [k, _] : g_.blocks) names.push_back(k);
          d_.error(n.pointer + "/block", "no block named '" + n.target + "'" + suggest(n.target, names));
          return nullptr;
        }
        return it->second.node_type ? &it->second.node_type->schema : nullptr;
      }
      case FlowNode::Kind::Inline: {
        n.type = find_type(n.target, n.pointer + "/type");
        if (!n.type) return nullptr;
        n.params = resolve_params(n.type->schema, n.raw, n.pointer, d_);
        check_refs(n.type->schema, n.params, n.pointer);
        return &n.type->schema;
      }
      case FlowNode::Kind::Flow:
      case FlowNode::Kind::Scan: {
        const std::string key = n.kind == FlowNode::Kind::Flow ? "/flow" : "/scan";
        auto it = g_.flows.find(n.target);
        if (it == g_.flows.end()) {
          std::vector<std::string> names;
          for (const auto& [k, _] : g_.flows) names.push_back(k);
          d_.error(n.pointer + key, "call of undefined flow '" + n.target + "'" + suggest(n.target, names));
          return nullptr;
        }
        if (std::find(stack.begin(), stack.end(), n.target) != stack.end()) {
          d_.error(n.pointer + key, "flow '" + n.target + "' calls itself (through " + join(stack) + ")");
          return nullptr;
        }
        check_flow(it->second, stack);
        return n.kind == FlowNode::Kind::Flow ? &it->second.schema : scan_schema(n, it->second);
      }
    }
    return nullptr;
  }

  // A scan's ports: the step flow's, with T inserted at axis 1 for sliced inputs and all outputs.
  const NodeSchema* scan_schema(FlowNode& n, const Flow& step) {
    auto timed = [](std::vector<std::string> shape) {
      if (shape.empty() || shape[0] == "...") return std::vector<std::string>{"..."};
      shape.insert(shape.begin() + 1, "T");
      return shape;
    };
    auto s = std::make_shared<NodeSchema>();
    s->name = "scan(" + step.name + ")";
    s->category = "scan";
    s->doc = "unrolls flow '" + step.name + "' over axis 1";
    std::set<std::string> over(n.over.begin(), n.over.end());
    for (const auto& name : n.over) {
      if (step.schema.input_index(name) < 0) {
        d_.error(n.pointer + "/over", "flow '" + step.name + "' has no input '" + name + "'" +
                                          suggest(name, port_names(step.schema.inputs)));
      }
    }
    for (const auto& [in, out] : n.carry) {
      if (step.schema.input_index(in) < 0) {
        d_.error(n.pointer + "/carry/" + pointer_token(in),
                 "flow '" + step.name + "' has no input '" + in + "'" + suggest(in, port_names(step.schema.inputs)));
      }
      if (step.schema.output_index(out) < 0) {
        d_.error(n.pointer + "/carry/" + pointer_token(in), "flow '" + step.name + "' has no output '" + out + "'" +
                                                                 suggest(out, port_names(step.schema.outputs)));
      }
      if (over.count(in)) d_.error(n.pointer + "/carry/" + pointer_token(in), "'" + in + "' is both carried and sliced");
    }
    for (Port p : step.schema.inputs) {
      if (over.count(p.name)) p.shape = timed(p.shape);
      s->inputs.push_back(std::move(p));
    }
    for (Port p : step.schema.outputs) {
      p.shape = timed(p.shape);
      s->outputs.push_back(std::move(p));
    }
    if (n.over.empty()) d_.error(n.pointer + "/over", "a scan needs at least one input sliced along time");
    n.own_schema = s;
    return s.get();
  }

  void check_flow(Flow& f) {
    std::vector<std::string> stack;
    check_flow(f, stack);
  }

  void check_flow(Flow& f, std::vector<std::string>& stack) {
    if (f.checked) return;
    f.checked = true;  // set first: a recursive call is reported once, by the caller
    stack.push_back(f.name);
    f.schema = NodeSchema{};
    f.schema.name = f.name;
    f.schema.category = "flow";
    for (const auto& in : f.inputs) f.schema.inputs.push_back({in.name, in.dtype, in.shape, "", in.optional});

    for (auto& n : f.nodes) n.schema = node_schema(n, stack);
    check_wiring(f);
    order_nodes(f);
    check_flow_shapes(f, g_.blocks, d_);
    stack.pop_back();
  }

  bool source_exists(const Flow& f, const Wire& w) {
    if (w.src.flow_input) {
      for (const auto& in : f.inputs)
        if (in.name == w.src.port) return true;
      std::vector<std::string> names;
      for (const auto& in : f.inputs) names.push_back("$" + in.name);
      d_.error(w.pointer, "dangling edge: flow '" + f.name + "' has no input '" + w.src.port + "'" +
                              suggest("$" + w.src.port, names));
      return false;
    }
    const int ni = f.node_index(w.src.node);
    if (ni < 0) {
      std::vector<std::string> names;
      for (const auto& n : f.nodes) names.push_back(n.name);
      d_.error(w.pointer, "dangling edge: no node '" + w.src.node + "' in flow '" + f.name + "'" +
                              suggest(w.src.node, names));
      return false;
    }
    const NodeSchema* s = f.nodes[ni].schema;
    if (s && s->output_index(w.src.port) < 0) {
      d_.error(w.pointer, "dangling edge: node '" + w.src.node + "' (" + s->name + ") has no output '" +
                              w.src.port + "'" + suggest(w.src.port, port_names(s->outputs)));
      return false;
    }
    return true;
  }

  void check_wiring(Flow& f) {
    for (auto& n : f.nodes) {
      for (const auto& w : n.inputs) {
        source_exists(f, w);
        if (n.schema && n.schema->input_index(w.port) < 0) {
          d_.error(w.pointer, "unknown input port '" + w.port + "' of " + n.schema->name +
                                  suggest(w.port, port_names(n.schema->inputs)));
        }
      }
      if (n.schema) {
        for (const auto& p : n.schema->inputs) {
          const bool wired = std::any_of(n.inputs.begin(), n.inputs.end(), [&](const Wire& w) { return w.port == p.name; });
          if (!wired && !p.optional) {
            d_.error(n.pointer + "/inputs", "missing input '" + p.name + "' of " + n.schema->name +
                                                (p.doc.empty() ? "" : " (" + p.doc + ")"));
          }
        }
      }
      for (size_t i = 0; i < n.after.size(); ++i) {
        if (f.node_index(n.after[i]) < 0) {
          std::vector<std::string> names;
          for (const auto& m : f.nodes) names.push_back(m.name);
          d_.error(n.pointer + "/after/" + std::to_string(i),
                   "control edge to unknown node '" + n.after[i] + "'" + suggest(n.after[i], names));
        }
      }
    }
    for (const auto& w : f.outputs) source_exists(f, w);
  }

  // Kahn's algorithm over data and control edges; a cycle is reported with its members.
  void order_nodes(Flow& f) {
    const size_t n = f.nodes.size();
    std::vector<std::set<size_t>> deps(n);
    for (size_t i = 0; i < n; ++i) {
      for (const auto& w : f.nodes[i].inputs)
        if (!w.src.flow_input)
          if (int j = f.node_index(w.src.node); j >= 0) deps[i].insert(static_cast<size_t>(j));
      for (const auto& a : f.nodes[i].after)
        if (int j = f.node_index(a); j >= 0) deps[i].insert(static_cast<size_t>(j));
    }
    std::vector<bool> done(n, false);
    f.order.clear();
    bool progress = true;
    while (progress) {
      progress = false;
      for (size_t i = 0; i < n; ++i) {  // declaration order among ready nodes: a stable plan
        if (done[i]) continue;
        if (std::all_of(deps[i].begin(), deps[i].end(), [&](size_t j) { return done[j]; })) {
          done[i] = true, progress = true;
          f.order.push_back(i);
        }
      }
    }
    if (f.order.size() != n) {
      std::string members;
      for (size_t i = 0; i < n; ++i)
        if (!done[i]) members += (members.empty() ? "" : ", ") + f.nodes[i].name;
      d_.error(f.pointer + "/nodes", "cycle outside a scan among nodes: " + members +
                                         " (carry state across time steps with a scan instead)");
    }
  }

  void check_program(const nlohmann::json& stmts, const std::string& ptr) {
    for (size_t i = 0; i < stmts.size(); ++i) {
      const auto& s = stmts[i];
      const std::string p = ptr + "/" + std::to_string(i);
      if (!s.is_object()) {
        d_.error(p, std::string("expected a statement object, got ") + s.type_name());
        continue;
      }
      static const std::vector<std::string> kinds = {"call", "repeat", "every", "log", "rollout", "checkpoint", "media"};
      int found = 0;
      for (const auto& k : kinds) found += s.contains(k);
      if (found != 1) {
        d_.error(p, "a statement has exactly one of call, repeat, every, log, rollout, checkpoint, media; found " +
                        std::to_string(found));
        continue;
      }
      static const std::map<std::string, std::vector<std::string>> keys_of = {
          {"call", {"call", "grad", "counters", "doc"}},
          {"repeat", {"repeat", "counter", "do", "doc"}},
          {"every", {"every", "counter", "do", "doc"}},
          {"log", {"log", "rate", "doc"}},
          {"checkpoint", {"checkpoint", "doc"}},
          {"media", {"media", "counter", "doc"}},
          {"rollout", {"rollout", "init", "carry", "until", "steps", "step_output", "count", "counter", "counters",
                       "metrics", "eval", "grad", "video", "doc"}}};
      std::string kind;
      for (const auto& k : kinds)
        if (s.contains(k)) kind = k;
      const auto& keys = keys_of.at(kind);
      for (auto it = s.begin(); it != s.end(); ++it) {
        if (std::find(keys.begin(), keys.end(), it.key()) == keys.end())
          d_.error(p + "/" + pointer_token(it.key()), "unknown key '" + it.key() + "' in a " + kind + " statement" +
                                                          suggest(it.key(), keys));
      }
      if (kind == "rollout") check_rollout(s, p);
      if (kind == "checkpoint" && s["checkpoint"] != true)
        d_.error(p + "/checkpoint", "expected true (a checkpoint statement writes one; leave it out rather than "
                                    "writing false), got " + s["checkpoint"].dump());
      if (s.contains("rate") && !s["rate"].is_string()) d_.error(p + "/rate", "expected the name of a counter");
      if (s.contains("media")) {
        if (const Flow* f = flow_named(s["media"], p + "/media")) {
          for (const auto& in : f->inputs)
            if (!in.optional) d_.error(p + "/media", "flow '" + f->name + "' called by the program needs input '" + in.name + "'; a program calls flows without inputs");
        }
        if (s.contains("counter") && !s["counter"].is_string()) d_.error(p + "/counter", "expected a counter name");
      }
      if (s.contains("call")) {
        const std::string name = s["call"].is_string() ? s["call"].get<std::string>() : "";
        auto it = g_.flows.find(name);
        if (it == g_.flows.end()) {
          std::vector<std::string> names;
          for (const auto& [k, _] : g_.flows) names.push_back(k);
          d_.error(p + "/call", "call of undefined flow '" + name + "'" + suggest(name, names));
        } else {
          const auto bound = counter_bindings(s, it->second, p);
          for (const auto& in : it->second.inputs)
            if (!in.optional && !bound.count(in.name))
              d_.error(p + "/call", "flow '" + name + "' called by the program needs input '" + in.name +
                                        "'; a program gives a flow only counters (\"counters\": {input: counter})");
        }
        if (s.contains("grad") && !s["grad"].is_boolean()) d_.error(p + "/grad", "expected true or false");
      }
      for (const char* k : {"repeat", "every"}) {
        if (!s.contains(k)) continue;
        if (!s[k].is_number_integer() || s[k].get<int64_t>() < 1) {
          d_.error(p + "/" + k, std::string("expected a positive integer, got ") + s[k].dump());
        }
        if (!s.contains("do") || !s["do"].is_array()) {
          d_.error(p, std::string("'") + k + "' needs \"do\": a list of statements");
        } else {
          check_program(s["do"], p + "/do");
        }
        if (s.contains("counter") && !s["counter"].is_string()) d_.error(p + "/counter", "expected a counter name");
        if (std::string(k) == "every" && !s.contains("counter")) d_.error(p, "'every' needs \"counter\": the counter it divides");
      }
      if (s.contains("log") && !s["log"].is_string()) d_.error(p + "/log", "expected a label for the log line");
    }
  }

  // Counters exist by being counted (a repeat's, a rollout's "count" and episode counter); a name
  // that is read ("every", "rate", "counters", media) but never counted is a typo that would
  // silently never fire, and a counter named like a metric would share its column.
  void check_counters() {
    std::map<std::string, std::string> counted;  // name -> where it is counted
    std::map<std::string, std::string> metrics;  // name -> where it comes from
    std::vector<std::pair<std::string, std::string>> read;  // (name, pointer)
    auto name_at = [&](const nlohmann::json& v, const std::string& where) -> std::string {
      if (!v.is_string()) return {};  // reported where the statement is checked
      if (v.get<std::string>().empty()) d_.error(where, "empty counter name");
      return v.get<std::string>();
    };
    std::function<void(const nlohmann::json&, const std::string&)> walk = [&](const nlohmann::json& stmts,
                                                                             const std::string& ptr) {
      if (!stmts.is_array()) return;
      for (size_t i = 0; i < stmts.size(); ++i) {
        const auto& s = stmts[i];
        const std::string p = ptr + "/" + std::to_string(i);
        if (!s.is_object()) continue;
        if (s.contains("repeat")) counted.emplace(s.contains("counter") ? name_at(s["counter"], p + "/counter") : kRepeatCounter, p);
        if (s.contains("rollout")) {
          counted.emplace(s.contains("counter") ? name_at(s["counter"], p + "/counter") : kEpisodesCounter, p);
          if (s.contains("count") && s["count"].is_object())
            for (const auto& [c, _] : s["count"].items()) counted.emplace(name_at(c, p + "/count"), p + "/count");
          if (s.contains("metrics") && s["metrics"].is_object())
            for (const auto& [m, _] : s["metrics"].items()) metrics.emplace(m, p + "/metrics/" + pointer_token(m));
        }
        if (s.contains("call") && s["call"].is_string())
          if (auto f = g_.flows.find(s["call"].get<std::string>()); f != g_.flows.end())
            for (const auto& o : f->second.outputs) metrics.emplace(o.port, p + "/call");
        if (s.contains("every") && s.contains("counter")) read.emplace_back(name_at(s["counter"], p + "/counter"), p + "/counter");
        if (s.contains("media") && s.contains("counter")) read.emplace_back(name_at(s["counter"], p + "/counter"), p + "/counter");
        if (s.contains("rate")) read.emplace_back(name_at(s["rate"], p + "/rate"), p + "/rate");
        if (s.contains("counters") && s["counters"].is_object())
          for (const auto& [in, c] : s["counters"].items())
            read.emplace_back(name_at(c, p + "/counters/" + pointer_token(in)), p + "/counters/" + pointer_token(in));
        if (s.contains("do")) walk(s["do"], p + "/do");
      }
    };
    walk(g_.program, "/program");
    std::vector<std::string> names;
    for (const auto& [c, _] : counted) names.push_back(c);
    for (const auto& [c, where] : read)
      if (!c.empty() && !counted.count(c))
        d_.error(where, "counter '" + c + "' is never counted (no repeat, rollout count or episode counter names it), "
                        "so it stays 0" + suggest(c, names));
    for (const auto& [c, where] : counted)
      if (auto m = metrics.find(c); !c.empty() && m != metrics.end())
        d_.error(where, "counter '" + c + "' has the name of a metric (" + m->second +
                        "): the metrics files would hold one column for both; rename one");
  }

  const Flow* flow_named(const nlohmann::json& v, const std::string& where) {
    const std::string name = v.is_string() ? v.get<std::string>() : "";
    auto it = g_.flows.find(name);
    if (it != g_.flows.end()) return &it->second;
    std::vector<std::string> names;
    for (const auto& [k, _] : g_.flows) names.push_back(k);
    d_.error(where, "no flow named " + v.dump() + suggest(name, names));
    return nullptr;
  }

  // The flow inputs a statement's "counters" feed ({input: counter}), after checking them.
  std::set<std::string> counter_bindings(const nlohmann::json& s, const Flow& f, const std::string& p) {
    std::set<std::string> bound;
    if (!s.contains("counters")) return bound;
    if (!s["counters"].is_object()) {
      d_.error(p + "/counters", "expected {flow input: counter name}");
      return bound;
    }
    std::vector<std::string> inputs;
    for (const auto& in : f.inputs) inputs.push_back(in.name);
    for (const auto& [in, counter] : s["counters"].items()) {
      const std::string where = p + "/counters/" + pointer_token(in);
      if (std::find(inputs.begin(), inputs.end(), in) == inputs.end())
        d_.error(where, "flow '" + f.name + "' has no input '" + in + "'" + suggest(in, inputs));
      else if (!counter.is_string())
        d_.error(where, "expected the name of a counter, got " + counter.dump());
      else
        bound.insert(in);
    }
    return bound;
  }

  static std::vector<std::string> output_names(const Flow& f) {
    std::vector<std::string> out;
    for (const auto& w : f.outputs) out.push_back(w.port);
    return out;
  }

  // A rollout names a step flow whose required inputs are all carried, an init flow with an output
  // for every carried input, and step outputs for the end flags, counts and metrics.
  void check_rollout(const nlohmann::json& s, const std::string& p) {
    const Flow* step = flow_named(s["rollout"], p + "/rollout");
    const Flow* init = s.contains("init") ? flow_named(s["init"], p + "/init") : nullptr;
    if (!step) return;
    const auto outs = output_names(*step);
    auto has_output = [&](const Flow& f, const std::string& n) {
      const auto names = output_names(f);
      return std::find(names.begin(), names.end(), n) != names.end();
    };
    auto need_output = [&](const nlohmann::json& v, const std::string& where) {
      if (!v.is_string()) return d_.error(where, "expected the name of an output of flow '" + step->name + "'");
      if (!has_output(*step, v.get<std::string>()))
        d_.error(where, "flow '" + step->name + "' has no output '" + v.get<std::string>() + "'" + suggest(v.get<std::string>(), outs));
    };
    std::set<std::string> carried;
    if (s.contains("carry")) {
      if (!s["carry"].is_object()) {
        d_.error(p + "/carry", "expected {step input: step output}");
      } else {
        if (!s.contains("init")) d_.error(p, "a rollout with \"carry\" needs \"init\": the flow giving the carried values' start");
        for (const auto& [in, out] : s["carry"].items()) {
          const std::string where = p + "/carry/" + pointer_token(in);
          carried.insert(in);
          if (std::none_of(step->inputs.begin(), step->inputs.end(), [&](const FlowInput& i) { return i.name == in; }))
            d_.error(where, "flow '" + step->name + "' has no input '" + in + "'");
          need_output(out, where);
          if (init && !has_output(*init, in))
            d_.error(where, "init flow '" + init->name + "' has no output '" + in + "' to start it from");
          const Port* into = port_named(step->schema.inputs, in);
          if (const Port* from = out.is_string() ? port_named(step->schema.outputs, out.get<std::string>()) : nullptr; into && from)
            if (auto why = mismatch(*from, *into); !why.empty())
              d_.error(where, "output '" + from->name + "' is " + why + " input '" + in + "' of flow '" + step->name + "' takes");
          if (const Port* from = init ? port_named(init->schema.outputs, in) : nullptr; into && from)
            if (auto why = mismatch(*from, *into, true); !why.empty())
              d_.error(where, "init flow '" + init->name + "' output '" + in + "' is " + why + " input '" + in +
                                  "' of flow '" + step->name + "' takes");
        }
      }
    }
    for (const auto& in : counter_bindings(s, *step, p)) {
      if (carried.count(in)) d_.error(p + "/counters/" + pointer_token(in), "input '" + in + "' is carried too");
      carried.insert(in);
    }
    for (const auto& in : step->inputs)
      if (!in.optional && !carried.count(in.name))
        d_.error(p + "/rollout", "flow '" + step->name + "' needs input '" + in.name +
                                     "': carry it, feed it a counter (\"counters\") or make it optional");
    if (s.contains("steps") && (!s["steps"].is_number_integer() || s["steps"].get<int64_t>() < 1))
      d_.error(p + "/steps", "expected a positive number of calls, got " + s["steps"].dump());
    if (s.contains("step_output")) {
      if (!s.contains("steps")) d_.error(p + "/step_output", "counts toward \"steps\", which the rollout does not give");
      need_output(s["step_output"], p + "/step_output");
    }
    if (s.contains("until")) need_output(s["until"], p + "/until");
    if (s.contains("video")) need_output(s["video"], p + "/video");
    else if (!s.contains("steps") && !has_output(*step, "last"))
      d_.error(p, "flow '" + step->name + "' has no output 'last': name the end flags with \"until\" or give \"steps\"");
    // Only an environment ends episodes: without one a rollout "until" them would never stop.
    const bool acts = std::any_of(step->nodes.begin(), step->nodes.end(), [](const FlowNode& n) {
      return n.kind == FlowNode::Kind::Block && n.schema && n.schema->category == "env";
    });
    if (!s.contains("steps") && !acts)
      d_.error(p + "/rollout", "flow '" + step->name + "' calls no environment block (category env), so its episodes "
                               "never end: act in an environment there, or give \"steps\"");
    for (const char* key : {"count", "metrics"}) {
      if (!s.contains(key)) continue;
      if (!s[key].is_object()) {
        d_.error(p + "/" + key, "expected {name: step output}");
        continue;
      }
      for (const auto& [name, out] : s[key].items()) {
        const std::string where = p + "/" + key + "/" + pointer_token(name);
        need_output(out, where);
        // Counters are integers: a fractional count would be cut off at every call.
        const Port* from = out.is_string() ? port_named(step->schema.outputs, out.get<std::string>()) : nullptr;
        if (key == std::string("count") && from && (from->dtype == DType::Float32 || from->dtype == DType::Float64))
          d_.error(where, "counter '" + name + "' counts output '" + from->name + "', which is " + to_string(from->dtype) +
                              ": counts must be integers (i64 or bool)");
      }
    }
    for (const char* key : {"eval", "grad"})
      if (s.contains(key) && !s[key].is_boolean()) d_.error(p + "/" + key, "expected true or false");
    if (s.contains("counter") && !s["counter"].is_string()) d_.error(p + "/counter", "expected a counter name");
  }

  static const Port* port_named(const std::vector<Port>& ports, const std::string& name) {
    for (const auto& p : ports)
      if (p.name == name) return &p;
    return nullptr;
  }

  // How a value of port `from` fails to fit port `into` ("[B,8] where [B,64] is what", "i64 where
  // f32 is what"), or "" when it fits as far as the declared shapes tell. With `one_row`, a first
  // dim of 1 fits any (a rollout's init row starts every environment).
  static std::string mismatch(const Port& from, const Port& into, bool one_row = false) {
    if (from.dtype != DType::Any && into.dtype != DType::Any && from.dtype != into.dtype)
      return std::string(to_string(from.dtype)) + " where " + to_string(into.dtype) + " is what";
    auto open = [](const std::vector<std::string>& shape) {
      return shape == std::vector<std::string>{"?"} || std::find(shape.begin(), shape.end(), "...") != shape.end();
    };
    if (open(from.shape) || open(into.shape)) return {};
    bool fits = from.shape.size() == into.shape.size();
    auto literal = [](const std::string& d) { return !d.empty() && std::all_of(d.begin(), d.end(), ::isdigit); };
    for (size_t i = 0; fits && i < from.shape.size(); ++i)
      fits = !(literal(from.shape[i]) && literal(into.shape[i]) && from.shape[i] != into.shape[i]) ||
             (one_row && i == 0 && from.shape[i] == "1");
    return fits ? std::string() : shape_text(from.shape) + " where " + shape_text(into.shape) + " is what";
  }

  static std::vector<std::string> port_names(const std::vector<Port>& ports) {
    std::vector<std::string> out;
    for (const auto& p : ports) out.push_back(p.name);
    return out;
  }
  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " -> ") + s;
    return out;
  }

  Graph& g_;
  const NodeRegistry& reg_;
  const PluginLoader& plugins_;
  Diagnostics& d_;
};

}  // namespace

void validate_graph(Graph& graph, const NodeRegistry& registry, const PluginLoader& plugins, Diagnostics& diags) {
  Validator(graph, registry, plugins, diags).run();
}

}  // namespace lf
