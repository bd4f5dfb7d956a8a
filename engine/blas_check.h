// Which BLAS torch runs on. Debian's LibTorch falls back to the netlib reference BLAS, 20-40x
// slower than OpenBLAS, unless libopenblas0 is installed: worth a warning at start-up.
#pragma once

#include <string>

namespace lf {

// The real path of the loaded libblas.so.3, or "" when none is loaded.
std::string loaded_blas();
// A warning text when the loaded BLAS is the reference implementation; "" otherwise.
std::string blas_warning();

}  // namespace lf
