#include "expr.h"

#include <cctype>
#include <cmath>

namespace lf {

namespace {

using json = nlohmann::json;

std::string kind(const json& v) {
  if (v.is_number_integer()) return "int";
  if (v.is_number_float()) return "float";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  if (v.is_array()) return "list";
  return v.type_name();
}

// Recursive descent over the text, one method per precedence level.
class Parser {
 public:
  Parser(std::string_view text, const ExprLookup& lookup) : s_(text), lookup_(lookup) {}

  json parse() {
    json v = conditional();
    skip();
    if (i_ != s_.size()) fail("unexpected '" + std::string(s_.substr(i_)) + "'");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ExprError("in \"${" + std::string(s_) + "}\": " + what);
  }
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(std::string_view op) {
    skip();
    if (s_.substr(i_, op.size()) != op) return false;
    // "/" must not take the first half of "//", nor "<" of "<=".
    if (op.size() == 1 && i_ + 1 < s_.size() &&
        ((op == "/" && s_[i_ + 1] == '/') || ((op == "<" || op == ">" || op == "=" || op == "!") && s_[i_ + 1] == '='))) {
      return false;
    }
    i_ += op.size();
    return true;
  }

  json conditional() {
    json c = comparison();
    if (!eat("?")) return c;
    json a = conditional();
    if (!eat(":")) fail("expected ':' after the first branch of '?'");
    json b = conditional();
    if (!c.is_boolean()) fail("the condition of '?' is a " + kind(c) + ", not a bool");
    return c.get<bool>() ? a : b;
  }

  json comparison() {
    json a = sum();
    for (const char* op : {"==", "!=", "<=", ">=", "<", ">"}) {
      if (!eat(op)) continue;
      json b = sum();
      const std::string o = op;
      if (o == "==") return equal(a, b);
      if (o == "!=") return !equal(a, b);
      if (a.is_number() && b.is_number()) {
        const double x = a.get<double>(), y = b.get<double>();
        return o == "<" ? x < y : o == ">" ? x > y : o == "<=" ? x <= y : x >= y;
      }
      if (a.is_string() && b.is_string()) {
        const auto x = a.get<std::string>(), y = b.get<std::string>();
        return o == "<" ? x < y : o == ">" ? x > y : o == "<=" ? x <= y : x >= y;
      }
      fail("cannot compare " + kind(a) + " and " + kind(b) + " with '" + o + "'");
    }
    return a;
  }

  static bool equal(const json& a, const json& b) {
    if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
    return a == b;
  }

  json sum() {
    json a = term();
    for (;;) {
      if (eat("+")) a = add(a, term());
      else if (eat("-")) a = arith('-', a, term());
      else return a;
    }
  }

  json add(const json& a, const json& b) {
    if (a.is_string() && b.is_string()) return a.get<std::string>() + b.get<std::string>();
    if (a.is_array() && b.is_array()) {
      json out = a;
      for (const auto& x : b) out.push_back(x);
      return out;
    }
    if (a.is_object() && b.is_object()) {  // a's keys, overridden and extended by b's
      json out = a;
      for (const auto& [k, v] : b.items()) out[k] = v;
      return out;
    }
    return arith('+', a, b);
  }

  json term() {
    json a = unary();
    for (;;) {
      if (eat("*")) a = arith('*', a, unary());
      else if (eat("//")) a = arith('f', a, unary());
      else if (eat("/")) a = arith('/', a, unary());
      else if (eat("%")) a = arith('%', a, unary());
      else return a;
    }
  }

  // Numbers only: int op int stays an int (but for '/'), anything with a float is a float.
  json arith(char op, const json& a, const json& b) {
    const std::string name = op == 'f' ? "//" : std::string(1, op);
    if (!a.is_number() || !b.is_number()) fail("cannot apply '" + name + "' to " + kind(a) + " and " + kind(b));
    const bool ints = a.is_number_integer() && b.is_number_integer();
    if ((op == '/' || op == 'f' || op == '%') && b.get<double>() == 0) fail("division by zero");
    if (ints && op != '/') {
      const int64_t x = a.get<int64_t>(), y = b.get<int64_t>();
      switch (op) {
        case '+': return x + y;
        case '-': return x - y;
        case '*': return x * y;
        case 'f': return x / y - ((x % y != 0) && ((x < 0) != (y < 0)));
        case '%': return ((x % y) + y) % y;
      }
    }
    const double x = a.get<double>(), y = b.get<double>();
    switch (op) {
      case '+': return x + y;
      case '-': return x - y;
      case '*': return x * y;
      case '/': return x / y;
      case 'f': return std::floor(x / y);
      default: return x - y * std::floor(x / y);
    }
  }

  json unary() {
    if (eat("-")) {
      json v = unary();
      if (v.is_number_integer()) return -v.get<int64_t>();
      if (v.is_number_float()) return -v.get<double>();
      fail("cannot negate a " + kind(v));
    }
    return primary();
  }

  json primary() {
    skip();
    if (i_ >= s_.size()) fail("expected a value at the end");
    const char c = s_[i_];
    if (eat("(")) {
      json v = conditional();
      if (!eat(")")) fail("expected ')'");
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (c == '\'') {
      const size_t end = s_.find('\'', i_ + 1);
      if (end == std::string_view::npos) fail("unterminated string");
      json v = std::string(s_.substr(i_ + 1, end - i_ - 1));
      i_ = end + 1;
      return v;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const size_t start = i_;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '.')) ++i_;
      const std::string name(s_.substr(start, i_ - start));
      if (name == "true") return true;
      if (name == "false") return false;
      return lookup_(name);
    }
    fail(std::string("unexpected '") + c + "'");
  }

  json number() {
    const size_t start = i_;
    bool is_float = false;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (std::isdigit(static_cast<unsigned char>(c))) ++i_;
      else if (c == '.' || c == 'e' || c == 'E') {
        is_float = true;
        ++i_;
        if ((c == 'e' || c == 'E') && i_ < s_.size() && (s_[i_] == '-' || s_[i_] == '+')) ++i_;
      } else break;
    }
    const std::string text(s_.substr(start, i_ - start));
    try {
      size_t used = 0;
      json v = is_float ? json(std::stod(text, &used)) : json(static_cast<int64_t>(std::stoll(text, &used)));
      if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    fail("bad number '" + text + "'");
  }

  std::string_view s_;
  size_t i_ = 0;
  const ExprLookup& lookup_;
};

std::string as_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

json eval_expr(std::string_view text, const ExprLookup& lookup) {
  json v = Parser(text, lookup).parse();
  // As the JSON parser reads a literal: a size computed as 230 is the same value as 230 written.
  if (v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() >= 0) return v.get<uint64_t>();
  return v;
}

std::optional<json> expand_string(const std::string& s, const ExprLookup& lookup) {
  size_t open = s.find("${");
  if (open == std::string::npos) return std::nullopt;
  // "${a}" alone keeps the value's type; an expression holds no '}', so the first one closes it.
  if (open == 0 && s.find('}') == s.size() - 1) return eval_expr(std::string_view(s).substr(2, s.size() - 3), lookup);
  std::string out;
  size_t at = 0;
  for (; open != std::string::npos; open = s.find("${", at)) {
    const size_t close = s.find('}', open);
    if (close == std::string::npos) throw ExprError("\"" + s + "\": '${' without a closing '}'");
    out += s.substr(at, open - at);
    out += as_text(eval_expr(std::string_view(s).substr(open + 2, close - open - 2), lookup));
    at = close + 1;
  }
  return json(out + s.substr(at));
}

}  // namespace lf
