#include "plugin_loader.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

#include "diagnostics.h"
#include "latentflow/plugin.h"

namespace fs = std::filesystem;

namespace lf {

namespace {

// Libraries stay loaded for the life of the process: never destroyed, so never dlclose'd. Keyed by
// real path, so a library is opened once per process however many loaders (tests) ask for it.
std::map<std::string, boost::dll::shared_library>& libraries() {
  static auto* libs = new std::map<std::string, boost::dll::shared_library>();
  return *libs;
}

std::string abi_text(const latentflow_abi& a) {
  std::ostringstream s;
  s << "sdk abi " << a.sdk_abi << ", " << (a.compiler ? a.compiler : "?") << ", _GLIBCXX_USE_CXX11_ABI="
    << a.cxx11_abi << ", torch " << (a.torch_version ? a.torch_version : "?");
  return s.str();
}

bool same_abi(const latentflow_abi& a, const latentflow_abi& b) {
  auto eq = [](const char* x, const char* y) { return x && y && std::strcmp(x, y) == 0; };
  return a.sdk_abi == b.sdk_abi && eq(a.compiler, b.compiler) && a.cxx11_abi == b.cxx11_abi &&
         eq(a.torch_version, b.torch_version);
}

}  // namespace

std::string plugin_name(const fs::path& file) {
  std::string stem = file.stem().string();
  return stem.rfind("lf_", 0) == 0 ? stem.substr(3) : stem;
}

std::vector<fs::path> PluginLoader::search_path(const std::vector<std::string>& extra) {
  std::vector<fs::path> out;
  out.push_back(boost::dll::program_location().parent_path().parent_path().string() + "/plugins");
  if (const char* env = std::getenv("LATENTFLOW_PLUGIN_PATH")) {
    std::stringstream ss(env);
    for (std::string dir; std::getline(ss, dir, ':');)
      if (!dir.empty()) out.emplace_back(dir);
  }
  for (const auto& e : extra) out.emplace_back(e);
  return out;
}

void PluginLoader::load_folders(const std::vector<fs::path>& folders) {
  for (const auto& dir : folders) {
    searched_.push_back(dir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const auto& p = entry.path();
      if (p.extension() == ".so" && p.filename().string().rfind("lf_", 0) == 0) files.push_back(p);
    }
    std::sort(files.begin(), files.end());  // a stable order makes duplicate errors repeatable
    for (const auto& f : files) load_file(f);
  }
}

bool PluginLoader::load_file(const fs::path& file) {
  std::error_code ec;
  const std::string real = fs::canonical(file, ec).string();
  if (ec) {
    refused_.push_back({file.string(), "cannot resolve path: " + ec.message()});
    return false;
  }
  for (const auto& [name, path] : loaded_)
    if (path == real) return true;  // the same file reached twice through links or folders
  auto it = libraries().find(real);
  if (it == libraries().end()) {
    boost::dll::shared_library lib;
    try {
      lib.load(real, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
      refused_.push_back({real, std::string("cannot load: ") + e.what()});
      return false;
    }
    it = libraries().emplace(real, std::move(lib)).first;
  }
  auto& lib = it->second;
  if (!lib.has("latentflow_plugin_abi") || !lib.has("latentflow_plugin_register")) {
    refused_.push_back({real, "not a LatentFlow plugin: it does not export latentflow_plugin_abi and "
                              "latentflow_plugin_register (use LATENTFLOW_PLUGIN)"});
    return false;
  }
  // Only C symbols are touched until the ABI is known to match.
  const latentflow_abi* abi = lib.get<const latentflow_abi*()>("latentflow_plugin_abi")();
  if (!abi || !same_abi(*abi, host_abi())) {
    refused_.push_back({real, "ABI mismatch: plugin built with " + (abi ? abi_text(*abi) : "?") +
                                  "; engine has " + abi_text(host_abi()) +
                                  ". Rebuild the plugin against this SDK."});
    return false;
  }
  registry_.set_origin(real);
  lib.get<void(Registry*)>("latentflow_plugin_register")(&registry_);
  loaded_.emplace(plugin_name(file), real);
  return true;
}

}  // namespace lf
