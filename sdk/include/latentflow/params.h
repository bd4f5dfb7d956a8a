// Validated parameter values handed to a node factory. The engine has already checked types,
// ranges and choices against the schema and filled in defaults, so accessors only convert.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lf {

// Thrown by a node's factory or constructor for a param value the schema cannot rule out (more
// elites than candidates, a block param naming a block of the wrong type): the engine reports it
// at that param's place in the graph, during `engine validate` too.
class ParamError : public std::invalid_argument {
 public:
  ParamError(std::string param, const std::string& message) : std::invalid_argument(message), param_(std::move(param)) {}
  const std::string& param() const { return param_; }

 private:
  std::string param_;
};

class Params {
 public:
  Params() = default;
  explicit Params(nlohmann::json values) : v_(std::move(values)) {}

  int64_t i(const std::string& n) const { return at(n).get<int64_t>(); }
  double f(const std::string& n) const { return at(n).get<double>(); }
  bool b(const std::string& n) const { return at(n).get<bool>(); }
  std::string s(const std::string& n) const { return at(n).get<std::string>(); }
  std::vector<int64_t> ints(const std::string& n) const { return at(n).get<std::vector<int64_t>>(); }
  std::vector<double> floats(const std::string& n) const { return at(n).get<std::vector<double>>(); }
  std::vector<std::string> strings(const std::string& n) const {
    return at(n).get<std::vector<std::string>>();
  }
  bool has(const std::string& n) const { return v_.contains(n) && !v_.at(n).is_null(); }
  const nlohmann::json& json() const { return v_; }

 private:
  const nlohmann::json& at(const std::string& n) const {
    auto it = v_.find(n);
    if (it == v_.end() || it->is_null()) throw std::out_of_range("param '" + n + "' has no value");
    return *it;
  }
  nlohmann::json v_ = nlohmann::json::object();
};

}  // namespace lf
