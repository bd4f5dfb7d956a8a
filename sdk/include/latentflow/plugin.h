// The two C-level entry points every plugin exports, and the ABI report the engine checks before
// it touches any C++ symbol of the plugin. A plugin's one .cc with the registration says:
//
//   void register_nodes(lf::Registry& r) { r.add(LinearSchema(), MakeLinear); ... }
//   LATENTFLOW_PLUGIN(register_nodes)
#pragma once

#include <cstdint>

#include <boost/config.hpp>
#include <torch/version.h>

#include "latentflow/registry.h"

// Bump on any change to the SDK headers that alters layout, vtables or semantics.
#define LATENTFLOW_SDK_ABI 2

#define LATENTFLOW_STR2(x) #x
#define LATENTFLOW_STR(x) LATENTFLOW_STR2(x)
#if defined(__clang__)
#define LATENTFLOW_COMPILER "clang " LATENTFLOW_STR(__clang_major__)
#elif defined(__GNUC__)
#define LATENTFLOW_COMPILER "gcc " LATENTFLOW_STR(__GNUC__)
#else
#define LATENTFLOW_COMPILER "unknown"
#endif

extern "C" {
// Plain C so that it can be read whatever the plugin's C++ ABI.
struct latentflow_abi {
  uint32_t sdk_abi;
  const char* compiler;  // the compiler family and major version the plugin was built with
  int cxx11_abi;         // _GLIBCXX_USE_CXX11_ABI
  const char* torch_version;
};
}

namespace lf {
inline const latentflow_abi& host_abi() {
  static const latentflow_abi abi{LATENTFLOW_SDK_ABI, LATENTFLOW_COMPILER, _GLIBCXX_USE_CXX11_ABI,
                                  TORCH_VERSION};
  return abi;
}
}  // namespace lf

#define LATENTFLOW_PLUGIN(register_fn)                                                      \
  extern "C" BOOST_SYMBOL_EXPORT const latentflow_abi* latentflow_plugin_abi() {           \
    return &::lf::host_abi();                                                               \
  }                                                                                         \
  extern "C" BOOST_SYMBOL_EXPORT void latentflow_plugin_register(::lf::Registry* registry) { \
    register_fn(*registry);                                                                 \
  }
