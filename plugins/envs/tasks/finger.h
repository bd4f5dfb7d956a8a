// DMC finger: spin.
#pragma once

#include <memory>

#include "../task.h"

namespace lf::envs {
std::unique_ptr<Task> make_finger_spin();
}  // namespace lf::envs
