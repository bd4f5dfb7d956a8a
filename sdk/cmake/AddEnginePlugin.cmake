# add_engine_plugin(<name> SOURCES <src>... [LIBRARIES <lib>...])
#
# Builds the plugin library lf_<name>.so (the engine loads files named lf_*.so) with hidden
# visibility, so that only the two entry points of LATENTFLOW_PLUGIN are exported. Inside the
# LatentFlow build it reuses the shared precompiled header and lands in the build's plugin folder.
function(add_engine_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "add_engine_plugin(${name}): SOURCES is required")
  endif()
  set(target lf_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE LatentFlow::sdk torch ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  if(DEFINED LATENTFLOW_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${LATENTFLOW_PLUGIN_OUTPUT_DIR})
  endif()
  if(TARGET latentflow_torch_pch)
    target_precompile_headers(${target} REUSE_FROM latentflow_torch_pch)
  endif()
endfunction()
