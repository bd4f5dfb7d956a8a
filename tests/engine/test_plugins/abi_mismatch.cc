// A plugin that reports another SDK ABI and torch version: the engine must refuse it before
// calling its register function (which would abort the test if it ran).
#include <cstdlib>

#include <boost/config.hpp>

#include "latentflow/plugin.h"

extern "C" BOOST_SYMBOL_EXPORT const latentflow_abi* latentflow_plugin_abi() {
  static const latentflow_abi abi{LATENTFLOW_SDK_ABI + 41, LATENTFLOW_COMPILER, _GLIBCXX_USE_CXX11_ABI, "0.0.1"};
  return &abi;
}

extern "C" BOOST_SYMBOL_EXPORT void latentflow_plugin_register(lf::Registry*) { std::abort(); }
