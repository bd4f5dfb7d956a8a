#include "support/node_harness.h"

#include <cctype>
#include <stdexcept>

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/nn/module.h>

#include "node_registry.h"
#include "param_values.h"
#include "plan.h"
#include "workspace.h"

namespace lf::testing {

namespace {

const Workspace& workspace() {
  static const auto* ws = new Workspace({LATENTFLOW_TEST_PLUGIN_DIR});
  return *ws;
}

class TestBuildContext final : public BuildContext {
 public:
  TestBuildContext(std::string name, uint64_t seed, TestRefs refs)
      : name_(std::move(name)), seed_(seed), refs_(std::move(refs)) {}
  const std::string& name() const override { return name_; }
  uint64_t seed() const override { return seed_; }
  torch::nn::Module* module_of(const std::string& block) const override {
    auto it = refs_.modules.find(block);
    return it == refs_.modules.end() ? nullptr : it->second;
  }
  Node* node_of(const std::string& block) const override {
    auto it = refs_.nodes.find(block);
    if (it == refs_.nodes.end()) throw std::invalid_argument("no block named '" + block + "' in the test");
    return it->second;
  }
  std::shared_ptr<FlowHandle> flow(const std::string& name) override {
    auto it = refs_.flows.find(name);
    if (it == refs_.flows.end()) throw std::invalid_argument("no flow named '" + name + "' in the test");
    return it->second;
  }

 private:
  std::string name_;
  uint64_t seed_;
  TestRefs refs_;
};

}  // namespace

const NodeRegistry& plugins() { return workspace().registry(); }

TestNode::TestNode(const std::string& type, nlohmann::json params, std::map<std::string, torch::nn::Module*> blocks,
                   uint64_t seed)
    : TestNode(type, std::move(params), TestRefs{std::move(blocks), {}, {}, seed}) {}

TestNode::TestNode(const std::string& type, nlohmann::json params, TestRefs refs) {
  const NodeType* t = plugins().find(type);
  if (!t) throw std::invalid_argument("no node type '" + type + "' in " LATENTFLOW_TEST_PLUGIN_DIR);
  schema_ = &t->schema;
  Diagnostics diags;
  params_ = resolve_params(*schema_, params, "/test", diags);
  if (!diags.empty()) throw std::invalid_argument(diags.format(type));
  const uint64_t seed = refs.seed;
  TestBuildContext ctx("test/" + type, seed, std::move(refs));
  node_ = t->factory(Params(params_), ctx);
}

TestNode::~TestNode() = default;

std::map<std::string, at::Tensor> TestNode::run(const std::map<std::string, at::Tensor>& inputs) {
  std::vector<at::Tensor> in_values;
  std::vector<const at::Tensor*> in(schema_->inputs.size(), &unconnected());
  in_values.reserve(inputs.size());
  for (const auto& [name, t] : inputs) {
    const int i = schema_->input_index(name);
    if (i < 0) throw std::invalid_argument(schema_->name + " has no input '" + name + "'");
    in_values.push_back(t);
    in[i] = &in_values.back();
  }
  std::vector<at::Tensor> out(schema_->outputs.size());
  CallContext ctx(*schema_, in.data(), out.data());
  node_->run(ctx);

  std::map<std::string, at::Tensor> named;
  for (size_t o = 0; o < out.size(); ++o) {
    const Port& p = schema_->outputs[o];
    if (!out[o].defined()) {
      ADD_FAILURE() << schema_->name << " did not set output '" << p.name << "'";
      continue;
    }
    // "..." and an undeclared shape ("?") leave the rank free.
    const bool ellipsis = std::find(p.shape.begin(), p.shape.end(), "...") != p.shape.end() ||
                          (p.shape.size() == 1 && p.shape[0] == "?");
    if (!ellipsis && out[o].dim() != static_cast<int64_t>(p.shape.size())) {
      ADD_FAILURE() << schema_->name << "." << p.name << " has " << out[o].dim() << " dims, schema says "
                    << p.shape.size();
    } else if (!ellipsis) {
      for (size_t d = 0; d < p.shape.size(); ++d) {
        const std::string& dim = p.shape[d];
        int64_t want = -1;
        if (!dim.empty() && std::all_of(dim.begin(), dim.end(), [](unsigned char c) { return std::isdigit(c); })) {
          want = std::stoll(dim);
        } else if (params_.contains(dim) && params_[dim].is_number_integer()) {
          want = params_[dim].get<int64_t>();
        }
        if (want >= 0 && out[o].size(static_cast<int64_t>(d)) != want) {
          ADD_FAILURE() << schema_->name << "." << p.name << " dim " << d << " is " << out[o].size(static_cast<int64_t>(d))
                        << ", schema says " << dim << " = " << want;
        }
      }
    }
    named[p.name] = out[o];
  }
  return named;
}

void TestNode::to_double() {
  if (auto* m = module()) m->to(at::kDouble);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

double gradient_error(const std::function<at::Tensor(const std::vector<at::Tensor>&)>& f,
                      std::vector<at::Tensor> inputs, double eps) {
  const at::Tensor y = f(inputs);
  at::Generator gen = at::detail::createCPUGenerator(7);
  const at::Tensor r = at::randn(y.sizes(), gen, y.options().requires_grad(false));
  std::vector<at::Tensor> wrt;
  for (const auto& x : inputs)
    if (x.requires_grad()) wrt.push_back(x);
  if (wrt.empty()) throw std::invalid_argument("gradient_error: no input requires grad");
  const auto grads = torch::autograd::grad({(y * r).sum()}, wrt, {}, false, false, true);

  double worst = 0;
  at::NoGradGuard no_grad;
  for (size_t k = 0; k < wrt.size(); ++k) {
    at::Tensor flat = wrt[k].view({-1});
    const at::Tensor g = grads[k].defined() ? grads[k].reshape({-1}) : at::zeros_like(flat);
    for (int64_t j = 0; j < flat.numel(); ++j) {
      const double orig = flat[j].item<double>();
      flat[j].fill_(orig + eps);
      const double plus = (f(inputs) * r).sum().item<double>();
      flat[j].fill_(orig - eps);
      const double minus = (f(inputs) * r).sum().item<double>();
      flat[j].fill_(orig);
      worst = std::max(worst, std::abs((plus - minus) / (2 * eps) - g[j].item<double>()));
    }
  }
  return worst;
}

}  // namespace lf::testing
