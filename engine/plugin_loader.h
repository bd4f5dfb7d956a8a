// Finds and loads plugins (files named lf_*.so) from the build's plugin folder, --plugin-path
// folders and the LATENTFLOW_PLUGIN_PATH environment variable; nothing else is searched.
// Libraries are never unloaded: an object outliving its library would crash.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "node_registry.h"

namespace lf {

struct PluginProblem {
  std::string file;
  std::string message;
};

class PluginLoader {
 public:
  explicit PluginLoader(NodeRegistry& registry) : registry_(registry) {}

  // The default search folders: the build's plugin folder (beside the engine executable),
  // then LATENTFLOW_PLUGIN_PATH (colon-separated), then `extra` (from --plugin-path).
  static std::vector<std::filesystem::path> search_path(const std::vector<std::string>& extra);

  // Loads every lf_*.so in the folders. A plugin whose ABI differs from the engine's is refused
  // (recorded in refused()) and loading goes on; a duplicate node type throws InputError.
  void load_folders(const std::vector<std::filesystem::path>& folders);
  // Loads one file; returns false and records why when it is refused.
  bool load_file(const std::filesystem::path& file);

  const std::vector<PluginProblem>& refused() const { return refused_; }
  const std::vector<std::filesystem::path>& searched() const { return searched_; }
  // Plugin name ("nn" for lf_nn.so) -> file, for every plugin loaded.
  const std::map<std::string, std::string>& loaded() const { return loaded_; }

 private:
  NodeRegistry& registry_;
  std::vector<PluginProblem> refused_;
  std::vector<std::filesystem::path> searched_;
  std::map<std::string, std::string> loaded_;
};

// "nn" for ".../lf_nn.so".
std::string plugin_name(const std::filesystem::path& file);

}  // namespace lf
