#include "diagnostics.h"

#include <algorithm>

namespace lf {

std::string Diagnostics::format(std::string_view file) const {
  std::string out;
  for (const auto& d : items_) {
    if (is_override(d.file)) out += d.file + (d.where.empty() ? "" : " at " + d.where) + ": " + d.message + "\n";
    else out += (d.file.empty() ? std::string(file) : d.file) + ":" + (d.where.empty() ? "/" : d.where) + ": " + d.message + "\n";
  }
  return out;
}

namespace {
// Optimal string alignment distance: a swap of two neighbours ("bais" for "bias") is one edit.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}
}  // namespace

std::string suggest(std::string_view got, const std::vector<std::string>& choices) {
  if (choices.empty()) return {};
  const std::string* best = nullptr;
  size_t best_d = std::string::npos;
  for (const auto& c : choices) {
    // The distance is at least the length difference: past the typo bound it cannot be a match,
    // and skipping it keeps a huge input from costing |got| x |c| (a 50 MB string took minutes).
    const size_t gap = got.size() > c.size() ? got.size() - c.size() : c.size() - got.size();
    if (gap > std::max<size_t>(1, c.size() / 3)) continue;
    size_t d = edit_distance(got, c);
    if (d < best_d) best_d = d, best = &c;
  }
  // Close enough to be a typo: a third of the word, at least one edit.
  if (best && best_d <= std::max<size_t>(1, best->size() / 3)) return " (did you mean '" + *best + "'?)";
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  return " (valid: " + list + ")";
}

std::string without_backtrace(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    const auto body = line.substr(std::min(line.find_first_not_of(' '), line.size()));
    if (body.rfind("frame #", 0) != 0 && body.rfind("Exception raised from", 0) != 0) {
      out.append(line);
      out += '\n';
    }
    start = end + 1;
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string clip_text(std::string text, size_t limit) {
  if (text.size() <= limit) return text;
  const size_t cut = text.size() - limit;
  text.resize(limit);
  return text + "... (" + std::to_string(cut) + " more characters)";
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
