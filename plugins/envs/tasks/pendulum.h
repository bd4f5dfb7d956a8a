// DMC pendulum: swingup.
#pragma once

#include <memory>

#include "../task.h"

namespace lf::envs {
std::unique_ptr<Task> make_pendulum_swingup();
}  // namespace lf::envs
