// DMC walker: walk.
#pragma once

#include <memory>

#include "../task.h"

namespace lf::envs {
std::unique_ptr<Task> make_walker_walk();
}  // namespace lf::envs
