#include "cmaes_node.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "cmaes.h"

namespace lf::es {
namespace {

at::Tensor to_tensor(const std::vector<double>& v) {
  return at::tensor(at::ArrayRef<double>(v), at::TensorOptions().dtype(at::kDouble)).to(at::kFloat);
}

class CmaEsNode : public Node {
  enum In { kFitness };
  enum Out { kCandidates, kMean, kSigma, kBest, kBestFitness };
 public:
  CmaEsNode(const Params& p, uint64_t seed)
      : es_(std::vector<double>(p.i("dim"), p.f("init_mean")), p.f("sigma0"),
            static_cast<int>(p.i("population")), seed),
        maximize_(p.b("maximize")) {}

  // The optimizer's whole state (see CmaEsState): one float64 tensor per array, the generator as
  // text in a uint8 tensor under "rng". asked_ and candidates_ are not saved: they are the f32
  // rounding of the pending population, rebuilt from it on load.
  void save_state(TensorDict& out) const override {
    const CmaEsState s = es_.state();
    for (const auto& [name, values] : s.arrays)
      out[name] = at::tensor(at::ArrayRef<double>(values), at::TensorOptions().dtype(at::kDouble));
    auto t = at::empty({static_cast<int64_t>(s.rng.size())}, at::kByte);
    std::memcpy(t.data_ptr<uint8_t>(), s.rng.data(), s.rng.size());
    out["rng"] = t;
  }

  void load_state(const TensorDict& in) override {
    CmaEsState s;
    for (const auto& [name, _] : es_.state().arrays) {
      const at::Tensor& t = state_at(in, name);
      if (t.dim() != 1 || t.scalar_type() != at::kDouble)
        throw std::invalid_argument("es.cmaes: state '" + name + "' must be a 1-D float64 tensor, got " +
                                    std::string(c10::toString(t.scalar_type())) + " " + shape_text(t.sizes()));
      const auto c = t.contiguous();
      s.arrays[name].assign(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
    }
    const at::Tensor& rng = state_at(in, "rng");
    if (rng.dim() != 1 || rng.scalar_type() != at::kByte)
      throw std::invalid_argument("es.cmaes: state 'rng' must be a 1-D uint8 tensor (the generator as text)");
    const auto r = rng.contiguous();
    s.rng.assign(reinterpret_cast<const char*>(r.data_ptr<uint8_t>()), static_cast<size_t>(r.numel()));
    try {
      es_.set_state(s);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("es.cmaes: ") + e.what());
    }
    if (es_.has_pending()) {
      keep(es_.pending());
    } else {
      candidates_ = at::Tensor();
      asked_.clear();
    }
  }

  void run(CallContext& ctx) override {
    if (ctx.has(kFitness) && es_.has_pending()) {
      es_.tell(asked_, read_fitness(ctx.in(kFitness)));
      ask();
    } else if (!es_.has_pending()) {
      ask();
    }
    ctx.set(kCandidates, candidates_);
    ctx.set(kMean, to_tensor(es_.mean()));
    ctx.set(kSigma, at::scalar_tensor(es_.sigma(), at::kFloat));
    ctx.set(kBest, to_tensor(es_.best_x()));
    const double bf = maximize_ ? -es_.best_f() : es_.best_f();
    ctx.set(kBestFitness, at::scalar_tensor(bf, at::kFloat));
  }

 private:
  void ask() { keep(es_.ask()); }

  // Keeps the f32 values of a population, which the graph will evaluate: the update uses those.
  void keep(const std::vector<std::vector<double>>& xs) {
    const int64_t pop = es_.lambda(), dim = es_.dim();
    candidates_ = at::empty({pop, dim}, at::kFloat);
    float* c = candidates_.data_ptr<float>();
    asked_.assign(pop, std::vector<double>(dim));
    for (int64_t k = 0; k < pop; ++k)
      for (int64_t i = 0; i < dim; ++i) {
        c[k * dim + i] = static_cast<float>(xs[k][i]);
        asked_[k][i] = c[k * dim + i];
      }
  }

  std::vector<double> read_fitness(const at::Tensor& f) const {
    const int64_t pop = es_.lambda();
    if (f.dim() != 1 || f.size(0) != pop)
      throw std::invalid_argument("es.cmaes: fitness must have shape [" + std::to_string(pop) +
                                  "] (one value per candidate of the previous call), got " +
                                  shape_text(f.sizes()));
    auto fd = f.detach().to(at::kCPU, at::kDouble).contiguous();
    const double* p = fd.data_ptr<double>();
    std::vector<double> out(p, p + pop);
    for (int64_t k = 0; k < pop; ++k) {
      if (std::isnan(out[k]))
        throw std::invalid_argument("es.cmaes: fitness of candidate " + std::to_string(k) + " is NaN");
      if (maximize_) out[k] = -out[k];
    }
    return out;
  }

  CmaEs es_;
  bool maximize_;
  at::Tensor candidates_;
  std::vector<std::vector<double>> asked_;
};

}  // namespace

NodeSchema CmaEsSchema() {
  return SchemaBuilder("es.cmaes")
      .category("es")
      .doc("CMA-ES ask/tell: tells the fitness of the previous population, outputs the next one")
      .optional_input("fitness", {"P"}, "fitness of the previous call's candidates (lower is better unless maximize)")
      .output("candidates", {"P", "dim"}, "population to evaluate next")
      .output("mean", {"dim"}, "distribution mean")
      .output("sigma", {}, "step size")
      .output("best", {"dim"}, "best candidate so far")
      .output("best_fitness", {}, "fitness of the best candidate so far (caller's sign)")
      .param("dim", ParamType::Int, nullptr, "number of parameters optimized", 1)
      .param("population", ParamType::Int, 0, "population size lambda; 0 = 4 + floor(3 ln dim)", 0)
      .param("sigma0", ParamType::Float, 0.1, "initial step size", 0.0)
      .param("init_mean", ParamType::Float, 0.0, "every coordinate of the initial mean")
      .param("seed", ParamType::Int, -1, "RNG seed; -1 = the block's seed from the run's --seed", -1)
      .param("maximize", ParamType::Bool, false, "true: fitness is maximized (negated before ranking)")
      .stateful()
      .build();
}

std::unique_ptr<Node> MakeCmaEs(const Params& p, BuildContext& ctx) {
  if (p.i("population") == 1) throw std::invalid_argument("es.cmaes: population must be 0 (default) or >= 2");
  if (!(p.f("sigma0") > 0)) throw std::invalid_argument("es.cmaes: sigma0 must be > 0");
  const int64_t seed = p.i("seed");
  return std::make_unique<CmaEsNode>(p, seed >= 0 ? static_cast<uint64_t>(seed) : ctx.seed());
}

}  // namespace lf::es
