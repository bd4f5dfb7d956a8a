#include "counter_inputs.h"

#include <stdexcept>

#include <ATen/ATen.h>

namespace lf {

CounterInputs::CounterInputs(const Flow& flow, const nlohmann::json& statement) {
  if (!statement.contains("counters")) return;
  for (const auto& [input, counter] : statement["counters"].items()) {
    const int i = flow.input_index(input);
    if (i < 0) throw std::invalid_argument("flow '" + flow.name + "' has no input '" + input + "'");
    inputs_.emplace_back(static_cast<size_t>(i), counter.get<std::string>());
  }
  values_.resize(inputs_.size());
}

void CounterInputs::bind(std::vector<const at::Tensor*>& in, const std::map<std::string, int64_t>& counters) {
  for (size_t k = 0; k < inputs_.size(); ++k) {
    const auto it = counters.find(inputs_[k].second);
    values_[k] = at::scalar_tensor(static_cast<double>(it == counters.end() ? 0 : it->second), at::kFloat);
    in[inputs_[k].first] = &values_[k];
  }
}

}  // namespace lf
