// Checkpoints: everything a run needs to continue exactly where it stopped, in one file written
// atomically (a crash while writing leaves the previous checkpoint intact).
//
// Contents: every block's weights (parameters and buffers, by name) and state (Node::save_state:
// optimizer moments, replay contents, generator states), torch's default CPU generator, and the
// program's position and counters as JSON, and the program's rollouts' states (carried values,
// the progress of a paused one) by statement pointer. Stored as a list of tensors (torch::save) whose first
// element is a manifest naming the others, so block and state names never have to be valid
// TorchScript attribute names.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "latentflow/node.h"

namespace lf {

class Runtime;

// Writes `path` atomically. `program` is the runner's state (position, counters, metrics);
// `rollouts` its rollouts' states by statement pointer.
void save_checkpoint(const std::string& path, Runtime& runtime, const nlohmann::json& program,
                     const std::map<std::string, TensorDict>& rollouts = {});

// Restores weights, node states and the generator into `runtime` and returns the program state;
// fills `rollouts`, when given, with the rollouts' states. Throws std::runtime_error naming the
// block and the tensor when the checkpoint does not match the graph (a block missing, a weight of
// another shape).
nlohmann::json load_checkpoint(const std::string& path, Runtime& runtime,
                               std::map<std::string, TensorDict>* rollouts = nullptr);

}  // namespace lf
