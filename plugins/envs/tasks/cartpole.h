// DMC cartpole: balance swingup.
#pragma once

#include <memory>

#include "../task.h"

namespace lf::envs {
std::unique_ptr<Task> make_cartpole_balance();
std::unique_ptr<Task> make_cartpole_swingup();
}  // namespace lf::envs
