// Checkpoints: everything a run needs to continue exactly where it stopped, in one file written
// atomically (a crash while writing leaves the previous checkpoint intact).
//
// Contents: every block's weights (parameters and buffers, by name) and state (Node::save_state:
// optimizer moments, replay contents, generator states), torch's default CPU generator, and the
// program's position and counters as JSON. Stored as a list of tensors (torch::save) whose first
// element is a manifest naming the others, so block and state names never have to be valid
// TorchScript attribute names.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace lf {

class Runtime;

// Writes `path` atomically. `program` is the runner's state (position, counters, metrics).
void save_checkpoint(const std::string& path, Runtime& runtime, const nlohmann::json& program);

// Restores weights, node states and the generator into `runtime` and returns the program state.
// Throws std::runtime_error naming the block and the tensor when the checkpoint does not match the
// graph (a block missing, a weight of another shape).
nlohmann::json load_checkpoint(const std::string& path, Runtime& runtime);

}  // namespace lf
