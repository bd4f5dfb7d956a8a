// Lays out DOT with Graphviz (libgvc, the "dot" engine) and renders it as SVG, in process.
#pragma once

#include <string>

namespace lf {

// Throws std::runtime_error with Graphviz's complaint when the DOT does not parse or lay out.
std::string dot_to_svg(const std::string& dot);

}  // namespace lf
