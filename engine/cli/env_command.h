// `engine env TASK`: an environment's spec, one random-policy episode, and a strip of frames.
#pragma once

#include <string>
#include <vector>

namespace lf {

struct EnvCommandOptions {
  std::vector<std::string> plugin_path;
  std::string task;
  int action_repeat = 1;
  int size = 64;
  int camera = -1;
  int frames = 0;  // > 0: render this many frames spread over the episode into `out`
  std::string out;
  uint64_t seed = 0;
};

// Returns the exit code; throws InputError for a bad task or option.
int run_env_command(const EnvCommandOptions& o);

}  // namespace lf
