// Graph-file expressions: the "${...}" in string values, evaluated over the graph's vars.
//
//   "${deter + stoch}"        a whole-string expression keeps its type: 230 stays a number
//   "runs of ${task}"         inside a longer string the value is interpolated as text
//
// Values are ints, floats, strings, booleans, lists and objects. Operators, loosest first:
//   c ? a : b     == != < <= > >=     + -     * / // %     unary -     ( )
// `+` also joins strings and lists and merges objects (right wins); `/` always gives a float, `//`
// and `%` floor as in Python.
// Names are vars ("deter") or a block's fact ("env.action_size"); the lookup decides.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace lf {

// A bad expression or a failed lookup. `where` is set when the error lies elsewhere than the
// string being expanded (inside the value of a var: "/vars/deter").
class ExprError : public std::runtime_error {
 public:
  explicit ExprError(const std::string& what, std::string where = {})
      : std::runtime_error(what), where(std::move(where)) {}
  std::string where;
};

// The value of a name; throws ExprError when there is none.
using ExprLookup = std::function<nlohmann::json(const std::string& name)>;

nlohmann::json eval_expr(std::string_view text, const ExprLookup& lookup);

// A string value with its "${...}" replaced; nullopt when it holds none.
std::optional<nlohmann::json> expand_string(const std::string& s, const ExprLookup& lookup);

}  // namespace lf
