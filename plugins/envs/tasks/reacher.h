// DMC reacher: easy.
#pragma once

#include <memory>

#include "../task.h"

namespace lf::envs {
std::unique_ptr<Task> make_reacher_easy();
}  // namespace lf::envs
