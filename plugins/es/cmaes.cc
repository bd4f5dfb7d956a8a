#include "cmaes.h"

#include <algorithm>
#include <cmath>
#include <locale>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

namespace lf::es {

CmaEs::CmaEs(std::vector<double> mean, double sigma0, int lambda, uint64_t seed)
    : n_(static_cast<int>(mean.size())), m_(std::move(mean)), sigma_(sigma0), sigma0_(sigma0), rng_(seed) {
  if (n_ < 1) throw std::invalid_argument("CmaEs: the initial mean must have at least one dimension");
  if (!(sigma0 > 0) || !std::isfinite(sigma0))
    throw std::invalid_argument("CmaEs: sigma0 must be finite and > 0, got " + std::to_string(sigma0));
  for (double v : m_)
    if (!std::isfinite(v)) throw std::invalid_argument("CmaEs: the initial mean has a non-finite value");
  if (lambda < 0) throw std::invalid_argument("CmaEs: lambda must be >= 0 (0 = default)");
  const double n = n_;
  lambda_ = lambda > 0 ? lambda : 4 + static_cast<int>(std::floor(3 * std::log(n)));
  if (lambda_ < 2) throw std::invalid_argument("CmaEs: lambda must be >= 2");
  mu_ = lambda_ / 2;

  // Positive log weights, normalized to sum 1.
  w_.resize(mu_);
  for (int i = 0; i < mu_; ++i) w_[i] = std::log((lambda_ + 1) / 2.0) - std::log(i + 1.0);
  const double sw = std::accumulate(w_.begin(), w_.end(), 0.0);
  double sw2 = 0;
  for (auto& w : w_) {
    w /= sw;
    sw2 += w * w;
  }
  mueff_ = 1 / sw2;

  cc_ = (4 + mueff_ / n) / (n + 4 + 2 * mueff_ / n);
  cs_ = (mueff_ + 2) / (n + mueff_ + 5);
  c1_ = 2 / ((n + 1.3) * (n + 1.3) + mueff_);
  cmu_ = std::min(1 - c1_, 2 * (mueff_ - 2 + 1 / mueff_) / ((n + 2) * (n + 2) + mueff_));
  ds_ = 1 + 2 * std::max(0.0, std::sqrt((mueff_ - 1) / (n + 1)) - 1) + cs_;
  chin_ = std::sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));

  pc_.assign(n_, 0.0);
  ps_.assign(n_, 0.0);
  C_.assign(n_ * n_, 0.0);
  B_.assign(n_ * n_, 0.0);
  invsqrtC_.assign(n_ * n_, 0.0);
  D_.assign(n_, 1.0);
  for (int i = 0; i < n_; ++i) C_[i * n_ + i] = B_[i * n_ + i] = invsqrtC_[i * n_ + i] = 1.0;
  best_x_ = m_;
}

double CmaEs::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // Box-Muller on two uniforms in (0, 1] built from 53 random bits each.
  constexpr double k = 1.0 / 9007199254740992.0;  // 2^-53
  const double u1 = ((rng_() >> 11) + 1) * k;
  const double u2 = (rng_() >> 11) * k;
  const double r = std::sqrt(-2 * std::log(u1));
  const double a = 2 * M_PI * u2;
  spare_ = r * std::sin(a);
  has_spare_ = true;
  return r * std::cos(a);
}

const std::vector<std::vector<double>>& CmaEs::ask() {
  x_.assign(lambda_, std::vector<double>(n_));
  y_.assign(lambda_, std::vector<double>(n_));
  std::vector<double> dz(n_);
  for (int k = 0; k < lambda_; ++k) {
    for (int j = 0; j < n_; ++j) dz[j] = D_[j] * normal();
    for (int i = 0; i < n_; ++i) {
      double y = 0;
      for (int j = 0; j < n_; ++j) y += B_[i * n_ + j] * dz[j];
      y_[k][i] = y;
      x_[k][i] = m_[i] + sigma_ * y;
    }
  }
  pending_ = true;
  return x_;
}

void CmaEs::tell(const std::vector<std::vector<double>>& xs, const std::vector<double>& fitness) {
  if (!pending_) throw std::invalid_argument("CmaEs::tell: no pending population (call ask() first)");
  if (static_cast<int>(xs.size()) != lambda_)
    throw std::invalid_argument("CmaEs::tell: expected " + std::to_string(lambda_) + " candidates, got " +
                                std::to_string(xs.size()));
  for (int k = 0; k < lambda_; ++k) {
    if (static_cast<int>(xs[k].size()) != n_)
      throw std::invalid_argument("CmaEs::tell: candidate " + std::to_string(k) + " has size " +
                                  std::to_string(xs[k].size()) + ", expected " + std::to_string(n_));
    for (int i = 0; i < n_; ++i) {
      if (!std::isfinite(xs[k][i])) throw std::invalid_argument("CmaEs::tell: a candidate is not finite");
      const double y = (xs[k][i] - m_[i]) / sigma_;
      if (std::isfinite(y)) y_[k][i] = y;  // sigma underflowed to 0: keep the step as asked
    }
  }
  x_ = xs;
  tell(fitness);
}

void CmaEs::tell(const std::vector<double>& fitness) {
  if (!pending_) throw std::invalid_argument("CmaEs::tell: no pending population (call ask() first)");
  if (static_cast<int>(fitness.size()) != lambda_)
    throw std::invalid_argument("CmaEs::tell: expected " + std::to_string(lambda_) + " fitness values, got " +
                                std::to_string(fitness.size()));
  for (size_t k = 0; k < fitness.size(); ++k)
    if (std::isnan(fitness[k]))
      throw std::invalid_argument("CmaEs::tell: fitness " + std::to_string(k) + " is NaN");

  std::vector<int> idx(lambda_);
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return fitness[a] < fitness[b]; });
  last_range_ = fitness[idx[lambda_ - 1]] - fitness[idx[0]];
  gen_best_.push_back(fitness[idx[0]]);
  const size_t hist = 10 + static_cast<size_t>(std::ceil(30.0 * n_ / lambda_));
  while (gen_best_.size() > hist) gen_best_.pop_front();
  if (fitness[idx[0]] < best_f_) {
    best_f_ = fitness[idx[0]];
    best_x_ = x_[idx[0]];
  }

  // Weighted recombination: y_w = sum w_i y_{i:lambda}; m += c_m sigma y_w (c_m = 1).
  std::vector<double> yw(n_, 0.0);
  for (int r = 0; r < mu_; ++r)
    for (int i = 0; i < n_; ++i) yw[i] += w_[r] * y_[idx[r]][i];
  for (int i = 0; i < n_; ++i) m_[i] += sigma_ * yw[i];

  // Cumulative step-size adaptation: p_sigma += sqrt(c_s (2 - c_s) mu_eff) C^{-1/2} y_w.
  const double as = std::sqrt(cs_ * (2 - cs_) * mueff_);
  double ps_norm2 = 0;
  for (int i = 0; i < n_; ++i) {
    double v = 0;
    for (int j = 0; j < n_; ++j) v += invsqrtC_[i * n_ + j] * yw[j];
    ps_[i] = (1 - cs_) * ps_[i] + as * v;
    ps_norm2 += ps_[i] * ps_[i];
  }
  const double ps_norm = std::sqrt(ps_norm2);
  ++gen_;

  // h_sigma stalls the update of p_c when ||p_sigma|| is large (sigma is increasing fast).
  const double n = n_;
  const bool hsig = ps_norm / std::sqrt(1 - std::pow(1 - cs_, 2.0 * gen_)) < (1.4 + 2 / (n + 1)) * chin_;
  const double ac = std::sqrt(cc_ * (2 - cc_) * mueff_);
  for (int i = 0; i < n_; ++i) pc_[i] = (1 - cc_) * pc_[i] + (hsig ? ac * yw[i] : 0.0);

  // Rank-one and rank-mu updates: C = (1 + c1 delta(h) - c1 - cmu sum w) C + c1 p_c p_c^T
  //                                   + cmu sum w_i y_i y_i^T, with sum w = 1.
  const double delta = hsig ? 0.0 : cc_ * (2 - cc_);
  const double keep = 1 + c1_ * delta - c1_ - cmu_;
  for (int i = 0; i < n_; ++i)
    for (int j = 0; j <= i; ++j) {
      double rmu = 0;
      for (int r = 0; r < mu_; ++r) rmu += w_[r] * y_[idx[r]][i] * y_[idx[r]][j];
      const double c = keep * C_[i * n_ + j] + c1_ * pc_[i] * pc_[j] + cmu_ * rmu;
      C_[i * n_ + j] = C_[j * n_ + i] = c;  // symmetric by construction
    }

  // Step size: sigma *= exp((c_s / d_s) (||p_sigma|| / E||N(0, I)|| - 1)).
  sigma_ *= std::exp((cs_ / ds_) * (ps_norm / chin_ - 1));

  // Lazy eigendecomposition, O(n^2) amortized per generation.
  if (gen_ - eigen_gen_ > lambda_ / ((c1_ + cmu_) * n * 10)) decompose();
  pending_ = false;
}

void CmaEs::decompose() {
  eigen_gen_ = gen_;
  ++n_eigen_;
  // Enforce exact symmetry from the upper triangle before decomposing.
  for (int i = 0; i < n_; ++i)
    for (int j = i + 1; j < n_; ++j) C_[j * n_ + i] = C_[i * n_ + j];
  auto c = at::from_blob(C_.data(), {n_, n_}, at::TensorOptions().dtype(at::kDouble)).clone();
  auto [evals, evecs] = at::linalg_eigh(c);
  evals = evals.contiguous();
  evecs = evecs.contiguous();
  const double* ev = evals.data_ptr<double>();
  const double* vec = evecs.data_ptr<double>();
  // Floor the eigenvalues (rounding can make the smallest ones zero or negative) at 1e-20 times the
  // largest, so that C^{-1/2} stays finite.
  const double floor = std::max(ev[n_ - 1] * 1e-20, 1e-300);
  for (int j = 0; j < n_; ++j) D_[j] = std::sqrt(std::max(ev[j], floor));
  std::copy(vec, vec + n_ * n_, B_.begin());
  for (int i = 0; i < n_; ++i)
    for (int j = 0; j <= i; ++j) {
      double v = 0;
      for (int k = 0; k < n_; ++k) v += B_[i * n_ + k] * B_[j * n_ + k] / D_[k];
      invsqrtC_[i * n_ + j] = invsqrtC_[j * n_ + i] = v;
    }
}

std::string CmaEs::stop() const {
  if (!std::isfinite(sigma_)) return "nonfinite";
  for (double v : m_)
    if (!std::isfinite(v)) return "nonfinite";
  if (gen_ == 0) return {};
  if (gen_best_.size() >= 10 + static_cast<size_t>(std::ceil(30.0 * n_ / lambda_))) {
    const auto [lo, hi] = std::minmax_element(gen_best_.begin(), gen_best_.end());
    if (std::max(*hi - *lo, last_range_) < 1e-12) return "tolfun";
  }
  bool small = true;
  for (int i = 0; i < n_; ++i)
    small = small && sigma_ * std::max(std::abs(pc_[i]), std::sqrt(C_[i * n_ + i])) < 1e-12 * sigma0_;
  if (small) return "tolx";
  for (int i = 0; i < n_; ++i)
    if (m_[i] + 0.2 * sigma_ * std::sqrt(C_[i * n_ + i]) == m_[i]) return "noeffectcoord";
  const auto [dlo, dhi] = std::minmax_element(D_.begin(), D_.end());
  if ((*dhi / *dlo) * (*dhi / *dlo) > 1e14) return "conditioncov";
  return {};
}

namespace {

std::vector<double> flatten(const std::vector<std::vector<double>>& rows) {
  std::vector<double> flat;
  for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
  return flat;
}

std::vector<std::vector<double>> unflatten(const std::vector<double>& flat, size_t cols) {
  std::vector<std::vector<double>> rows;
  for (size_t at = 0; at < flat.size(); at += cols)
    rows.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(at), flat.begin() + static_cast<std::ptrdiff_t>(at + cols));
  return rows;
}

}  // namespace

CmaEsState CmaEs::state() const {
  CmaEsState s;
  auto& a = s.arrays;
  a["dim"] = {static_cast<double>(n_)};
  a["lambda"] = {static_cast<double>(lambda_)};
  a["mean"] = m_;
  a["sigma"] = {sigma_};
  a["sigma0"] = {sigma0_};
  a["pc"] = pc_;
  a["ps"] = ps_;
  a["C"] = C_;
  a["B"] = B_;
  a["D"] = D_;
  a["invsqrtC"] = invsqrtC_;
  a["generation"] = {static_cast<double>(gen_)};
  a["eigen_generation"] = {static_cast<double>(eigen_gen_)};
  a["eigen_decompositions"] = {static_cast<double>(n_eigen_)};
  a["pending"] = {pending_ ? 1.0 : 0.0};
  a["population"] = flatten(x_);
  a["steps"] = flatten(y_);
  a["best_x"] = best_x_;
  a["best_f"] = {best_f_};
  a["generation_bests"] = std::vector<double>(gen_best_.begin(), gen_best_.end());
  a["last_range"] = {last_range_};
  a["normal_spare"] = has_spare_ ? std::vector<double>{spare_} : std::vector<double>{};
  std::ostringstream os;
  os.imbue(std::locale::classic());  // the stream format must not depend on the user's locale
  os << rng_;
  s.rng = os.str();
  return s;
}

void CmaEs::set_state(const CmaEsState& s) {
  auto bad = [](const std::string& why) { return std::invalid_argument("CmaEs::set_state: " + why); };
  auto get = [&](const std::string& name) -> const std::vector<double>& {
    const auto it = s.arrays.find(name);
    if (it == s.arrays.end()) throw bad("the state has no array '" + name + "'");
    return it->second;
  };
  auto sized = [&](const std::string& name, size_t size) -> const std::vector<double>& {
    const auto& v = get(name);
    if (v.size() != size)
      throw bad("'" + name + "' has " + std::to_string(v.size()) + " values, expected " + std::to_string(size));
    return v;
  };
  // Counters and flags travel as doubles: integers up to 2^53 are exact.
  auto integer = [&](const std::string& name, double lo, double hi) -> int64_t {
    const double v = sized(name, 1)[0];
    if (!(v >= lo && v <= hi) || v != std::floor(v))
      throw bad("'" + name + "' = " + std::to_string(v) + " is not an integer in [" + std::to_string(int64_t(lo)) +
                ", " + std::to_string(int64_t(hi)) + "]");
    return static_cast<int64_t>(v);
  };
  constexpr double kMaxExact = 9007199254740992.0;  // 2^53

  // Checked first, so that a state of another problem gets the one message that explains it.
  const int64_t dim = integer("dim", 1, kMaxExact), lambda = integer("lambda", 2, kMaxExact);
  if (dim != n_ || lambda != lambda_)
    throw bad("the state is of an optimizer with dim " + std::to_string(dim) + " and population " +
              std::to_string(lambda) + ", this one has dim " + std::to_string(n_) + " and population " +
              std::to_string(lambda_));
  const size_t n = static_cast<size_t>(n_), pop = static_cast<size_t>(lambda_) * n;

  const auto& mean = sized("mean", n);
  const double sigma = sized("sigma", 1)[0], sigma0 = sized("sigma0", 1)[0];
  const auto &pc = sized("pc", n), &ps = sized("ps", n), &D = sized("D", n);
  const auto &C = sized("C", n * n), &B = sized("B", n * n), &invsqrtC = sized("invsqrtC", n * n);
  const int64_t gen = integer("generation", 0, kMaxExact);
  const int64_t eigen_gen = integer("eigen_generation", 0, static_cast<double>(gen));
  const int64_t n_eigen = integer("eigen_decompositions", 0, kMaxExact);
  const bool pending = integer("pending", 0, 1) == 1;
  const auto& population = get("population");
  if (population.size() != pop && !(population.empty() && !pending))
    throw bad("'population' has " + std::to_string(population.size()) + " values, expected " + std::to_string(pop) +
              (pending ? "" : " (or 0 before the first ask)"));
  const auto& steps = sized("steps", population.size());
  const auto& best_x = sized("best_x", n);
  const double best_f = sized("best_f", 1)[0];
  const auto& bests = get("generation_bests");
  const size_t hist = 10 + static_cast<size_t>(std::ceil(30.0 * n_ / lambda_));
  if (bests.size() > hist)
    throw bad("'generation_bests' has " + std::to_string(bests.size()) + " values, at most " + std::to_string(hist) +
              " expected");
  const double last_range = sized("last_range", 1)[0];
  const auto& spare = get("normal_spare");
  if (spare.size() > 1) throw bad("'normal_spare' has " + std::to_string(spare.size()) + " values, expected 0 or 1");
  std::mt19937_64 rng;
  std::istringstream is(s.rng);
  is.imbue(std::locale::classic());
  is >> rng;
  if (is.fail() || !(is >> std::ws).eof()) throw bad("the generator state is not a std::mt19937_64 state");

  // Everything checked: from here on the state is only copied in.
  m_ = mean;
  sigma_ = sigma;
  sigma0_ = sigma0;
  pc_ = pc;
  ps_ = ps;
  C_ = C;
  B_ = B;
  D_ = D;
  invsqrtC_ = invsqrtC;
  gen_ = gen;
  eigen_gen_ = eigen_gen;
  n_eigen_ = n_eigen;
  pending_ = pending;
  x_ = unflatten(population, n);
  y_ = unflatten(steps, n);
  best_x_ = best_x;
  best_f_ = best_f;
  gen_best_.assign(bests.begin(), bests.end());
  last_range_ = last_range;
  has_spare_ = !spare.empty();
  spare_ = has_spare_ ? spare[0] : 0.0;
  rng_ = rng;
}

}  // namespace lf::es
