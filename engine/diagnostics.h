// Errors about the user's input, each with where (a JSON pointer into the graph, or a CLI argument)
// and what was expected and found. Validation collects them all before anything runs.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lf {

// `text` cut to `limit` characters, saying how many were left out.
std::string clip_text(std::string text, size_t limit);

// The message without LibTorch's C++ backtrace lines ("Exception raised from ...", "frame #N: ..."):
// for users, not for debugging torch.
std::string without_backtrace(const std::string& text);

struct Diagnostic {
  std::string where;  // JSON pointer, e.g. "/flows/train/nodes/kl/in/post"
  std::string message;
  std::string file;   // the file `where` points into, or the override ("--set k=v", "--preset p") that
                      // wrote the value; empty: the graph's own file
};

// "--set k=v" or "--preset p": a place on the command line rather than a file.
inline bool is_override(std::string_view file) { return file.rfind("--", 0) == 0; }

class Diagnostics {
 public:
  // Messages and pointers are clipped (clip_text): a bad value of megabytes is not echoed whole.
  void error(std::string where, std::string message) { error_in({}, std::move(where), std::move(message)); }
  void error_in(std::string file, std::string where, std::string message) {
    items_.push_back({clip_text(std::move(where), 400), clip_text(std::move(message), 2000), std::move(file)});
  }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  // One line per error: "<file>:<where>: <message>", `file` where the error names none.
  std::string format(std::string_view file) const;
  std::vector<Diagnostic>& items() { return items_; }

 private:
  std::vector<Diagnostic> items_;
};

// Bad input (graph, override, path): the CLI exits with 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A node's factory refused its params (std::invalid_argument): bad input at `where`, the block's
// or inline node's pointer, or its param's (lf::ParamError).
class BuildError : public InputError {
 public:
  BuildError(std::string where, const std::string& message) : InputError(message), where_(std::move(where)) {}
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

// " (did you mean 'x'?)" for a close match, else " (valid: a, b, c)"; empty when there are no choices.
std::string suggest(std::string_view got, const std::vector<std::string>& choices);

// Escapes one JSON pointer reference token (~ and /).
std::string pointer_token(std::string_view token);

// The pointer to member `key` of the value at `ptr`.
inline std::string pointer_join(const std::string& ptr, std::string_view key) { return ptr + "/" + pointer_token(key); }

}  // namespace lf
