# cmake -P script behind the sdk_out_of_tree test (see CMakeLists.txt for the variables it gets).
# Every step must succeed; the first one that does not stops the test with its full output.
cmake_minimum_required(VERSION 3.25)

foreach(v ENGINE BINARY_DIR EXAMPLE_DIR WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT ${v})
    message(FATAL_ERROR "sdk_out_of_tree: ${v} is not set")
  endif()
endforeach()

# step(<what> <command>...): runs the command, echoes its output, fails the test if it fails.
function(step what)
  message(STATUS "sdk_out_of_tree: ${what}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  message("${out}")
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " cmd)
    message(FATAL_ERROR "sdk_out_of_tree: FAILED to ${what} (exit ${rc}):\n  ${cmd}")
  endif()
endfunction()

function(require_file path what)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "sdk_out_of_tree: ${what} is missing: ${path}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/sdk)
set(build ${WORK_DIR}/build)
set(run ${WORK_DIR}/run)
set(graph ${EXAMPLE_DIR}/scale_graph.json)
file(REMOVE_RECURSE ${WORK_DIR})  # nothing from an earlier run may make this one pass
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install the SDK from the current build into a scratch prefix.
set(component_args)
if(COMPONENT)
  set(component_args --component ${COMPONENT})
endif()
step("install the SDK into ${prefix}" ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${prefix} ${component_args})
foreach(f include/latentflow/sdk.h include/latentflow/plugin.h
          lib/cmake/LatentFlowSDK/LatentFlowSDKConfig.cmake
          lib/cmake/LatentFlowSDK/LatentFlowSDKConfigVersion.cmake
          lib/cmake/LatentFlowSDK/LatentFlowSDKTargets.cmake
          lib/cmake/LatentFlowSDK/AddEnginePlugin.cmake)
  require_file(${prefix}/${f} "installed SDK file")
endforeach()

# 2. Configure and build the example against the installed SDK only, with the engine's compiler and
#    dependencies (the ABI check compares compiler, libstdc++ ABI and torch version).
set(configure_args -S ${EXAMPLE_DIR} -B ${build} -G ${GENERATOR}
  -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
  -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
if(MAKE_PROGRAM)
  list(APPEND configure_args -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
if(LAUNCHER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
foreach(dep Torch_DIR nlohmann_json_DIR Boost_DIR)
  if(${dep})
    list(APPEND configure_args -D${dep}=${${dep}})
  endif()
endforeach()
step("configure the example plugin out of tree" ${CMAKE_COMMAND} ${configure_args})
file(STRINGS ${build}/CMakeCache.txt sdk_dir REGEX "^LatentFlowSDK_DIR:")
if(NOT sdk_dir MATCHES "${prefix}/")
  message(FATAL_ERROR "sdk_out_of_tree: the example found the SDK elsewhere than the install (${sdk_dir})")
endif()
step("build the example plugin" ${CMAKE_COMMAND} --build ${build} --parallel 1)
require_file(${build}/lf_example.so "the built plugin")

# 3. The engine loads it from --plugin-path (an option of `engine` itself, so before the subcommand).
step("describe example.scale" ${ENGINE} --plugin-path ${build} describe example.scale)
step("validate ${graph}" ${ENGINE} --plugin-path ${build} validate ${graph})
step("a random episode of the custom environment" ${ENGINE} --plugin-path ${build} env example.point_mass)
# Its spec sizes a graph at load time, as envs.dmc's does.
file(WRITE ${build}/sized.json [=[{"blocks": {"env": {"type": "example.point_mass"},
  "head": {"type": "nn.linear", "in_dim": "${env.obs_size}", "out_dim": "${env.action_size * 3}"}}}]=])
execute_process(COMMAND ${ENGINE} --plugin-path ${build} expand ${build}/sized.json OUTPUT_VARIABLE sized RESULT_VARIABLE rc)
string(JSON in_dim ERROR_VARIABLE err GET "${sized}" blocks head in_dim)
string(JSON out_dim ERROR_VARIABLE err GET "${sized}" blocks head out_dim)
if(NOT rc EQUAL 0 OR NOT in_dim EQUAL 2 OR NOT out_dim EQUAL 3)
  message(FATAL_ERROR "sdk_out_of_tree: the custom environment's spec did not size the graph (exit ${rc}): ${sized}")
endif()
step("run ${graph}" ${ENGINE} --plugin-path ${build} run ${graph} --run-dir ${run} --threads 1)
require_file(${run}/metrics.jsonl "metrics file")
require_file(${run}/metrics.csv "metrics file")
file(STRINGS ${run}/metrics.jsonl rows)
list(LENGTH rows n)
if(NOT n EQUAL 5)
  message(FATAL_ERROR "sdk_out_of_tree: expected 5 metric rows (one per call) in ${run}/metrics.jsonl, got ${n}")
endif()
foreach(row IN LISTS rows)
  string(JSON diff ERROR_VARIABLE err GET "${row}" diff)
  if(err)
    message(FATAL_ERROR "sdk_out_of_tree: metric 'diff' missing from row: ${row}")
  endif()
  if(diff LESS_EQUAL 0)
    message(FATAL_ERROR "sdk_out_of_tree: 'diff' should be positive with factor 2 (mean square of the observations), got ${diff}")
  endif()
endforeach()
message(STATUS "sdk_out_of_tree: ok (${n} metric rows in ${run}/metrics.jsonl)")
