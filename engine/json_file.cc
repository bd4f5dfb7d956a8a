#include "json_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "diagnostics.h"

namespace lf {

namespace {

// Deeper JSON than any graph needs; copying a value nested far deeper overflows the stack.
constexpr int kMaxNesting = 512;

// Line and column (1-based) of byte `end` of `text`.
std::string line_col(const std::string& text, size_t end) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < end && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, col = 1;
    else ++col;
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

// One pass over the text before nlohmann parses it, for what its parser accepts silently or cannot
// survive: nesting deeper than kMaxNesting (copying such a value overflows the stack) and a key
// written twice in one object (the last would silently win). Throws InputError with the line and
// column (and, for a duplicate, the first one's).
void check_structure(const std::string& text, const std::string& where) {
  struct Level {
    bool object;
    std::map<std::string, size_t> keys;  // key -> offset of its first occurrence
  };
  std::vector<Level> levels;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      const size_t start = i;
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      if (levels.empty() || !levels.back().object) continue;
      size_t next = i + 1;
      while (next < text.size() && std::isspace(static_cast<unsigned char>(text[next]))) ++next;
      if (next >= text.size() || text[next] != ':') continue;  // a value, not a key
      const std::string key = text.substr(start + 1, i - start - 1);
      const auto [it, fresh] = levels.back().keys.emplace(key, start);
      if (!fresh)
        throw InputError(where + ":" + line_col(text, start) + ": duplicate key \"" + clip_text(key, 80) +
                         "\" (first at " + line_col(text, it->second) + ")");
    } else if (c == '[' || c == '{') {
      if (levels.size() >= static_cast<size_t>(kMaxNesting))
        throw InputError(where + ":" + line_col(text, i) + ": JSON nested deeper than " + std::to_string(kMaxNesting) +
                         " levels");
      levels.push_back({c == '{', {}});
    } else if ((c == ']' || c == '}') && !levels.empty()) {
      levels.pop_back();
    }
  }
}

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& where) {
  check_structure(text, where);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::out_of_range& e) {  // a number past double's range: 1e999
    std::string what = e.what();
    if (auto p = what.find("number overflow"); p != std::string::npos) what = what.substr(p);
    throw InputError(where + ": " + what);
  }
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  try {
    return parse_json_text(text, path);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    if (auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    throw InputError(path + ":" + line_col(text, e.byte == 0 ? 0 : e.byte - 1) + ": malformed JSON: " + what);
  }
}

std::string apply_override(nlohmann::json& doc, const std::string& s) {
  const auto eq = s.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError("--set " + s + ": expected path=value, e.g. blocks.rssm.deter=400");
  }
  const std::string text = s.substr(eq + 1);
  nlohmann::json value;
  try {
    value = parse_json_text(text, "--set " + s.substr(0, eq));
  } catch (const nlohmann::json::parse_error&) {
    value = text;
  }
  try {
    return set_path(doc, s.substr(0, eq), std::move(value));
  } catch (const std::invalid_argument& e) {
    throw InputError("--set " + s + ": " + e.what());
  }
}

std::string set_path(nlohmann::json& doc, const std::string& path, nlohmann::json value) {
  nlohmann::json* at = &doc;
  std::stringstream ss(path);
  std::vector<std::string> keys;
  for (std::string k; std::getline(ss, k, '.');) keys.push_back(k);
  std::string walked, pointer;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& k = keys[i];
    const bool last = i + 1 == keys.size();
    if (at->is_array()) {
      char* end = nullptr;
      const long idx = std::strtol(k.c_str(), &end, 10);
      if (k.empty() || *end || idx < 0 || static_cast<size_t>(idx) >= at->size()) {
        throw std::invalid_argument("'" + walked + "' is a list of " + std::to_string(at->size()) + " and '" + k +
                                    "' is not an index of it");
      }
      if (last && value.is_null()) {
        at->erase(static_cast<size_t>(idx));
        return pointer + '/' + k;
      }
      at = &(*at)[static_cast<size_t>(idx)];
    } else if (at->is_object()) {
      if (!last && !at->contains(k)) {
        throw std::invalid_argument("no key '" + k + "' at '" + (walked.empty() ? "<top>" : walked) + "'" +
                                    suggest(k, [&] {
                                      std::vector<std::string> ks;
                                      for (auto it = at->begin(); it != at->end(); ++it) ks.push_back(it.key());
                                      return ks;
                                    }()));
      }
      if (last && value.is_null()) {
        at->erase(k);
        return pointer + '/' + pointer_token(k);
      }
      at = &(*at)[k];
    } else {
      throw std::invalid_argument("'" + walked + "' is a " + at->type_name() + ", not an object");
    }
    walked += (walked.empty() ? "" : ".") + k;
    pointer += '/';
    pointer += pointer_token(k);
  }
  *at = std::move(value);
  return pointer;
}

void commit_file(const std::string& tmp, const std::string& path) {
  // The data must be on disk before the rename makes it the file: a crash in between then leaves
  // either the old file or the new one, never a truncated one.
  const int fd = ::open(tmp.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot flush " + tmp + " to disk");
  }
  ::close(fd);
  std::filesystem::rename(tmp, path);
  const auto dir = std::filesystem::absolute(path).parent_path();
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

void write_file_atomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  commit_file(tmp, path);
}

}  // namespace lf
