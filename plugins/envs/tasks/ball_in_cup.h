// DMC ball_in_cup: catch.
#pragma once

#include <memory>

#include "../task.h"

namespace lf::envs {
std::unique_ptr<Task> make_ball_in_cup_catch();
}  // namespace lf::envs
