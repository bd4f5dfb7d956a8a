// DMC cheetah: run.
#pragma once

#include <memory>

#include "../task.h"

namespace lf::envs {
std::unique_ptr<Task> make_cheetah_run();
}  // namespace lf::envs
