#include "allocator.h"

#include <malloc.h>

namespace lf {

bool configure_allocator() {
  static const bool ok = mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1 && mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1;
  return ok;
}

}  // namespace lf
