#include "blas_check.h"

#include <link.h>

#include <filesystem>

namespace lf {

std::string loaded_blas() {
  std::string found;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        const std::string name = info->dlpi_name ? info->dlpi_name : "";
        if (name.find("libblas.so") != std::string::npos) {
          std::error_code ec;
          auto real = std::filesystem::canonical(name, ec);
          *static_cast<std::string*>(data) = ec ? name : real.string();
          return 1;
        }
        return 0;
      },
      &found);
  return found;
}

std::string blas_warning() {
  const std::string blas = loaded_blas();
  if (blas.find("/blas/") == std::string::npos) return {};
  return "torch is using the reference BLAS (" + blas +
         "), 20-40x slower than OpenBLAS: install libopenblas0-openmp (tools/setup.sh does)";
}

}  // namespace lf
