#include "diagnostics.h"

#include <algorithm>

namespace lf {

std::string Diagnostics::format(std::string_view file) const {
  std::string out;
  for (const auto& d : items_) {
    out += std::string(file) + ":" + (d.where.empty() ? "/" : d.where) + ": " + d.message + "\n";
  }
  return out;
}

namespace {
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string suggest(std::string_view got, const std::vector<std::string>& choices) {
  if (choices.empty()) return {};
  const std::string* best = nullptr;
  size_t best_d = std::string::npos;
  for (const auto& c : choices) {
    size_t d = edit_distance(got, c);
    if (d < best_d) best_d = d, best = &c;
  }
  // Close enough to be a typo: a third of the word, at least one edit.
  if (best && best_d <= std::max<size_t>(1, best->size() / 3)) return " (did you mean '" + *best + "'?)";
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  return " (valid: " + list + ")";
}

std::string pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

}  // namespace lf
