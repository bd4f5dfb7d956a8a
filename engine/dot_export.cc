#include "dot_export.h"

#include <fmt/format.h>

namespace lf {

namespace {
std::string id(const std::string& flow, const std::string& node) { return fmt::format("\"{}/{}\"", flow, node); }
std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out;
}
}  // namespace

std::string to_dot(const Graph& g) {
  std::string out = fmt::format("digraph \"{}\" {{\n  rankdir=TB; compound=true;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n", esc(g.name));
  out += "  subgraph cluster_blocks { label=\"blocks\"; style=dashed;\n";
  for (const auto& [name, b] : g.blocks) {
    out += fmt::format("    \"block/{}\" [label=\"{}\\n{}\", shape=cylinder];\n", esc(name), esc(name), esc(b.type));
  }
  out += "  }\n";
  for (const auto& [fname, f] : g.flows) {
    out += fmt::format("  subgraph \"cluster_{}\" {{\n    label=\"flow {}\";\n", esc(fname), esc(fname));
    out += fmt::format("    {} [label=\"inputs\", shape=plaintext];\n", id(fname, "$"));
    out += fmt::format("    {} [label=\"outputs\", shape=plaintext];\n", id(fname, "^"));
    for (const auto& n : f.nodes) {
      const char* kind = n.kind == FlowNode::Kind::Scan ? "scan " : n.kind == FlowNode::Kind::Flow ? "flow " : "";
      const std::string type = n.schema ? n.schema->name : n.target;
      out += fmt::format("    {} [label=\"{}\\n{}{}\"{}];\n", id(fname, n.name), esc(n.name), kind, esc(type),
                         n.kind == FlowNode::Kind::Scan ? ", style=\"rounded,bold\"" : "");
    }
    out += "  }\n";
    for (const auto& n : f.nodes) {
      for (const auto& w : n.inputs) {
        const std::string from = w.src.flow_input ? id(fname, "$") : id(fname, w.src.node);
        out += fmt::format("  {} -> {} [label=\"{}\", fontsize=9];\n", from, id(fname, n.name), esc(w.src.port + "→" + w.port));
      }
      for (const auto& a : n.after) out += fmt::format("  {} -> {} [style=dashed];\n", id(fname, a), id(fname, n.name));
      if (n.kind == FlowNode::Kind::Block) {
        out += fmt::format("  \"block/{}\" -> {} [style=dotted, arrowhead=none, color=gray];\n", esc(n.target), id(fname, n.name));
      } else if (n.kind == FlowNode::Kind::Flow || n.kind == FlowNode::Kind::Scan) {
        out += fmt::format("  {} -> {} [style=dotted, color=blue, lhead=\"cluster_{}\"];\n", id(fname, n.name),
                           id(n.target, "$"), esc(n.target));
      }
    }
    for (const auto& w : f.outputs) {
      const std::string from = w.src.flow_input ? id(fname, "$") : id(fname, w.src.node);
      out += fmt::format("  {} -> {} [label=\"{}\", fontsize=9];\n", from, id(fname, "^"), esc(w.port));
    }
  }
  return out + "}\n";
}

}  // namespace lf
