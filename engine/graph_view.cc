#include "graph_view.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "node_registry.h"
#include "schema_text.h"

namespace lf {

namespace {

std::string html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

const char* category_colour(const std::string& category) {
  // The same fills as the page's table (tools/viewer/viewer.js, CAT), for .svg and .dot output.
  static const std::map<std::string, const char*> colours = {
      {"nn", "#dbeafe"},   {"rssm", "#ede9fe"}, {"losses", "#ffedd5"}, {"optim", "#dcfce7"},
      {"data", "#fef9c3"}, {"env", "#ccfbf1"},  {"es", "#fce7f3"},     {"flow", "#e0e7ff"},
      {"scan", "#fae8ff"}};
  auto it = colours.find(category);
  return it == colours.end() ? "#f5f5f5" : it->second;
}

// The params of a node that differ from the schema's defaults (required ones always differ).
nlohmann::json params_view(const NodeSchema& s, const nlohmann::json& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : s.params) {
    const nlohmann::json value = values.contains(p.name) ? values.at(p.name) : nlohmann::json(nullptr);
    out.push_back({{"name", p.name},
                   {"type", to_string(p.type)},
                   {"value", value},
                   {"default", p.default_value},
                   {"doc", p.doc},
                   {"is_default", value == p.default_value}});
  }
  return out;
}

struct Item {
  std::string id, svg_id, kind, flow, name, label_type;
  const NodeSchema* schema = nullptr;
  const nlohmann::json* params = nullptr;  // resolved params (blocks, inline nodes)
  const FlowNode* call = nullptr;
  std::string block;
};

// Every block and node call, in a stable order.
std::vector<Item> items(const Graph& g) {
  std::vector<Item> out;
  for (const auto& [name, b] : g.blocks) {
    Item it{"block/" + name, "b:" + name, "blockdef", "", name, b.type};
    if (b.node_type) it.schema = &b.node_type->schema, it.params = &b.params;
    out.push_back(it);
  }
  for (const auto& [fname, f] : g.flows) {
    for (const auto& n : f.nodes) {
      Item it{fname + "/" + n.name, "n:" + fname + "/" + n.name, "", fname, n.name, n.target};
      it.call = &n;
      it.schema = n.schema;
      switch (n.kind) {
        case FlowNode::Kind::Block: {
          it.kind = "block", it.block = n.target;
          auto b = g.blocks.find(n.target);
          if (b != g.blocks.end() && b->second.node_type) it.params = &b->second.params, it.label_type = b->second.type;
          break;
        }
        case FlowNode::Kind::Inline: it.kind = "inline", it.params = &n.params; break;
        case FlowNode::Kind::Flow: it.kind = "flow", it.label_type = "flow " + n.target; break;
        case FlowNode::Kind::Scan: it.kind = "scan", it.label_type = "scan " + n.target; break;
      }
      out.push_back(it);
    }
  }
  return out;
}

// The item a diagnostic points into: "/flows/F/nodes/N/..." or "/blocks/B/...".
std::string item_of(const std::string& where) {
  auto part = [&](size_t i) {
    size_t start = 0;
    for (size_t k = 0; k <= i; ++k) {
      start = where.find('/', start);
      if (start == std::string::npos) return std::string();
      ++start;
    }
    return where.substr(start, where.find('/', start) - start);
  };
  if (part(0) == "flows" && part(2) == "nodes" && !part(3).empty()) return part(1) + "/" + part(3);
  if (part(0) == "blocks" && !part(1).empty()) return "block/" + part(1);
  return {};
}

std::map<std::string, std::vector<std::string>> errors_by_item(const Diagnostics& diags) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& d : diags.items())
    if (auto id = item_of(d.where); !id.empty()) out[id].push_back(d.message);
  return out;
}

std::string card(const Item& it, bool has_errors) {
  const std::string type = it.schema && it.kind != "flow" && it.kind != "scan"
                               ? fmt::format("{}@{}", it.label_type, it.schema->version)
                               : it.label_type;
  const std::string colour = it.kind == "flow" ? category_colour("flow")
                             : it.kind == "scan" ? category_colour("scan")
                             : it.schema        ? category_colour(it.schema->category)
                                                : "#ffffff";
  std::string rows = fmt::format("<TR><TD ALIGN=\"LEFT\"><B>{}</B></TD></TR><TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\" COLOR=\"#555555\">{}</FONT></TD></TR>",
                                 html(it.name), html(type));
  if (it.schema && it.kind != "blockdef") {
    for (const auto& p : it.schema->inputs) {
      rows += fmt::format("<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"8\">&#9656; {} {} {}</FONT></TD></TR>", html(p.name),
                          to_string(p.dtype), html(shape_text(p.shape)));
    }
    for (const auto& p : it.schema->outputs) {
      rows += fmt::format("<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"8\">&#9666; {} {} {}</FONT></TD></TR>", html(p.name),
                          to_string(p.dtype), html(shape_text(p.shape)));
    }
  }
  if (it.schema && it.params && it.kind != "block") {  // a block call shows its block's params on the block
    for (const auto& p : it.schema->params) {
      if (!it.params->contains(p.name) || it.params->at(p.name) == p.default_value) continue;
      std::string v = it.params->at(p.name).dump();
      if (v.size() > 28) v = v.substr(0, 25) + "...";
      rows += fmt::format("<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"8\" COLOR=\"#374151\">{} = {}</FONT></TD></TR>",
                          html(p.name), html(v));
    }
  }
  return fmt::format("<<TABLE BORDER=\"{}\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\" BGCOLOR=\"{}\" COLOR=\"{}\" STYLE=\"ROUNDED\">{}</TABLE>>",
                     has_errors ? 3 : 1, colour, has_errors ? "#dc2626" : "#6b7280", rows);
}

}  // namespace

std::string graph_dot(const Graph& g, const Diagnostics& diags) {
  const auto errors = errors_by_item(diags);
  std::set<std::string> bad_edges;  // "/flows/F/nodes/N/inputs/PORT"
  for (const auto& d : diags.items()) bad_edges.insert(d.where);
  std::string out = fmt::format(
      "digraph {} {{\n  graph [rankdir=TB, compound=true, fontname=\"Helvetica\", fontsize=11, nodesep=0.3, ranksep=0.35];\n"
      "  node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8, color=\"#6b7280\"];\n",
      quoted(g.name));
  const auto all = items(g);
  if (!g.blocks.empty()) {
    out += "  subgraph cluster_blocks {\n    id=\"c:blocks\"; label=\"blocks\"; style=\"dashed,rounded\"; color=\"#9ca3af\";\n";
    for (const auto& it : all) {
      if (it.kind == "blockdef") out += fmt::format("    {} [id={}, label={}];\n", quoted(it.svg_id), quoted(it.svg_id), card(it, errors.count(it.id)));
    }
    out += "  }\n";
  }
  for (const auto& [fname, f] : g.flows) {
    const bool scanned = std::any_of(g.flows.begin(), g.flows.end(), [&](const auto& kv) {
      return std::any_of(kv.second.nodes.begin(), kv.second.nodes.end(),
                         [&](const FlowNode& n) { return n.kind == FlowNode::Kind::Scan && n.target == fname; });
    });
    out += fmt::format("  subgraph {} {{\n    id={}; label={}; style=\"rounded{}\"; color=\"{}\"; bgcolor=\"{}\";\n",
                       quoted("cluster_" + fname), quoted("c:" + fname),
                       quoted((scanned ? "flow " + fname + " (scanned)" : "flow " + fname)), scanned ? ",bold" : "",
                       scanned ? "#7c3aed" : "#9ca3af", scanned ? "#faf5ff" : "#fcfcfd");
    if (!f.inputs.empty()) out += fmt::format("    {} [id={}, shape=cds, style=filled, fillcolor=\"#f9fafb\", label=\"inputs\"];\n", quoted(fname + "/$in"), quoted("n:" + fname + "/$in"));
    if (!f.outputs.empty()) out += fmt::format("    {} [id={}, shape=cds, style=filled, fillcolor=\"#f9fafb\", label=\"outputs\"];\n", quoted(fname + "/$out"), quoted("n:" + fname + "/$out"));
    for (const auto& it : all) {
      if (it.flow == fname) out += fmt::format("    {} [id={}, label={}];\n", quoted(it.id), quoted(it.svg_id), card(it, errors.count(it.id)));
    }
    out += "  }\n";
    for (const auto& n : f.nodes) {
      const std::string to = fname + "/" + n.name;
      for (const auto& w : n.inputs) {
        const std::string from = w.src.flow_input ? fname + "/$in" : (f.node_index(w.src.node) >= 0 ? fname + "/" + w.src.node : "");
        if (from.empty()) continue;  // a dangling edge: its error is on the node
        const bool bad = bad_edges.count(w.pointer);
        out += fmt::format("  {} -> {} [label={}{}];\n", quoted(from), quoted(to), quoted(w.src.port + " \u2192 " + w.port),
                           bad ? ", color=\"#dc2626\", fontcolor=\"#dc2626\", penwidth=2" : "");
      }
      for (const auto& a : n.after)
        if (f.node_index(a) >= 0) out += fmt::format("  {} -> {} [style=dashed, color=\"#2563eb\", label=\"after\"];\n", quoted(fname + "/" + a), quoted(to));
      if (n.kind == FlowNode::Kind::Block && g.blocks.count(n.target)) {
        out += fmt::format("  {} -> {} [style=dotted, arrowhead=none, color=\"#9ca3af\", constraint=false];\n", quoted("b:" + n.target), quoted(to));
      } else if ((n.kind == FlowNode::Kind::Flow || n.kind == FlowNode::Kind::Scan) && g.flows.count(n.target)) {
        const auto& callee = g.flows.at(n.target);
        const std::string head = !callee.inputs.empty() ? n.target + "/$in" : (!callee.nodes.empty() ? n.target + "/" + callee.nodes.front().name : "");
        if (!head.empty()) out += fmt::format("  {} -> {} [style=dotted, color=\"#7c3aed\", lhead={}, constraint=false];\n", quoted(to), quoted(head), quoted("cluster_" + n.target));
      }
    }
    for (const auto& w : f.outputs) {
      const std::string from = w.src.flow_input ? fname + "/$in" : (f.node_index(w.src.node) >= 0 ? fname + "/" + w.src.node : "");
      if (!from.empty()) out += fmt::format("  {} -> {} [label={}];\n", quoted(from), quoted(fname + "/$out"), quoted(w.port));
    }
  }
  return out + "}\n";
}

nlohmann::json graph_view(const Graph& g, const Diagnostics& diags) {
  const auto errors = errors_by_item(diags);
  nlohmann::json nodes = nlohmann::json::array();
  std::map<std::string, std::vector<std::string>> used_by;
  for (const auto& it : items(g)) {
    nlohmann::json n = {{"id", it.id}, {"svg_id", it.svg_id}, {"kind", it.kind}, {"flow", it.flow}, {"name", it.name},
                        {"type", it.label_type}, {"errors", errors.count(it.id) ? errors.at(it.id) : std::vector<std::string>{}}};
    if (it.schema) {
      n["version"] = it.schema->version;
      n["category"] = it.kind == "flow" || it.kind == "scan" ? it.kind : it.schema->category;
      n["doc"] = it.schema->doc;
      nlohmann::json ins = nlohmann::json::array(), outs = nlohmann::json::array();
      for (const auto& p : it.schema->inputs) {
        std::string source;
        if (it.call)
          for (const auto& w : it.call->inputs)
            if (w.port == p.name) source = w.src.text();
        ins.push_back({{"name", p.name}, {"dtype", to_string(p.dtype)}, {"shape", shape_text(p.shape)}, {"source", source},
                       {"doc", p.doc}, {"optional", p.optional}});
      }
      for (const auto& p : it.schema->outputs)
        outs.push_back({{"name", p.name}, {"dtype", to_string(p.dtype)}, {"shape", shape_text(p.shape)}, {"doc", p.doc}});
      n["inputs"] = ins;
      n["outputs"] = outs;
      n["params"] = it.params ? params_view(*it.schema, *it.params) : nlohmann::json::array();
    }
    if (!it.block.empty()) n["block"] = it.block, used_by[it.block].push_back(it.id);
    if (it.call && !it.call->after.empty()) n["after"] = it.call->after;
    nodes.push_back(n);
  }
  nlohmann::json flows = nlohmann::json::array();
  for (const auto& [fname, f] : g.flows) {
    std::vector<std::string> ids;
    for (const auto& n : f.nodes) ids.push_back(fname + "/" + n.name);
    std::string doc;
    if (auto fs = g.json.find("flows"); fs != g.json.end() && fs->is_object()) {
      if (auto fj = fs->find(fname); fj != fs->end() && fj->is_object()) doc = fj->value("doc", "");
    }
    flows.push_back({{"name", fname}, {"doc", doc}, {"nodes", ids}});
  }
  nlohmann::json blocks = nlohmann::json::array();
  for (const auto& [name, b] : g.blocks) blocks.push_back({{"name", name}, {"type", b.type}, {"used_by", used_by[name]}});
  nlohmann::json errs = nlohmann::json::array();
  for (const auto& d : diags.items()) {
    const std::string id = item_of(d.where);
    errs.push_back({{"where", d.where}, {"message", d.message}, {"node", id.empty() ? nlohmann::json(nullptr) : nlohmann::json(id)}});
  }
  return {{"title", g.name}, {"source", g.file}, {"nodes", nodes}, {"flows", flows}, {"blocks", blocks}, {"errors", errs},
          {"trace", nullptr}, {"metrics", nullptr}};
}

}  // namespace lf
