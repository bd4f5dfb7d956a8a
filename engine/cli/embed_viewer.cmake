# Writes OUTPUT, a C++ source holding the viewer page (tools/viewer/viewer.html with viewer.css and
# viewer.js inlined) as lf::kViewerHtml, so that `engine viz` writes self-contained pages without
# looking for files at run time.
file(READ ${VIEWER_DIR}/viewer.html page)
file(READ ${VIEWER_DIR}/viewer.css css)
file(READ ${VIEWER_DIR}/viewer.js js)
string(REPLACE "<link rel=\"stylesheet\" href=\"viewer.css\">" "<style>\n${css}</style>" page "${page}")
string(REPLACE "<script src=\"viewer.js\"></script>" "<script>\n${js}</script>" page "${page}")
file(WRITE ${OUTPUT}
  "// Generated from tools/viewer/ by engine/cli/embed_viewer.cmake: do not edit.\n"
  "#include <string_view>\n"
  "namespace lf {\n"
  "extern const std::string_view kViewerHtml;\n"
  "const std::string_view kViewerHtml = R\"LFVIEWER(${page})LFVIEWER\";\n"
  "}  // namespace lf\n")
