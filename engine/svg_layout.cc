#include "svg_layout.h"

#include <graphviz/gvc.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace lf {

std::string dot_to_svg(const std::string& dot) {
  // Graphviz keeps global state: one layout at a time.
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::unique_ptr<GVC_t, decltype(&gvFreeContext)> gvc(gvContext(), gvFreeContext);
  if (!gvc) throw std::runtime_error("Graphviz: cannot create a context");
  std::unique_ptr<Agraph_t, decltype(&agclose)> g(agmemread(dot.c_str()), agclose);
  if (!g) throw std::runtime_error("Graphviz: the generated DOT does not parse");
  if (gvLayout(gvc.get(), g.get(), "dot") != 0) throw std::runtime_error("Graphviz: layout failed");
  char* data = nullptr;
  unsigned int len = 0;
  const int rc = gvRenderData(gvc.get(), g.get(), "svg", &data, &len);
  std::string svg = rc == 0 && data ? std::string(data, len) : std::string();
  if (data) gvFreeRenderData(data);
  gvFreeLayout(gvc.get(), g.get());
  if (svg.empty()) throw std::runtime_error("Graphviz: SVG rendering failed (is the graphviz package installed?)");
  // The page inlines the <svg> element: drop the XML prologue and doctype.
  const auto start = svg.find("<svg");
  return start == std::string::npos ? svg : svg.substr(start);
}

}  // namespace lf
