// CMA-ES: the covariance matrix adaptation evolution strategy, (mu/mu_w, lambda) with the default
// strategy parameters of N. Hansen, "The CMA Evolution Strategy: A Tutorial" (arXiv:1604.00772,
// 2016), Table 1 with positive recombination weights only:
//
//   lambda = 4 + floor(3 ln n), mu = floor(lambda / 2), w_i ∝ ln((lambda + 1) / 2) - ln i, sum w = 1,
//   mu_eff = 1 / sum w_i^2, c_m = 1,
//   c_sigma = (mu_eff + 2) / (n + mu_eff + 5),
//   d_sigma = 1 + 2 max(0, sqrt((mu_eff - 1) / (n + 1)) - 1) + c_sigma,
//   c_c = (4 + mu_eff / n) / (n + 4 + 2 mu_eff / n),
//   c_1 = 2 / ((n + 1.3)^2 + mu_eff),
//   c_mu = min(1 - c_1, 2 (mu_eff - 2 + 1 / mu_eff) / ((n + 2)^2 + mu_eff)),
//   E||N(0, I)|| ~= sqrt(n) (1 - 1 / (4n) + 1 / (21 n^2)).
//
// One generation: ask() samples x_k = m + sigma B D z_k, z_k ~ N(0, I); tell(f) ranks them
// (minimization), moves the mean to the weighted mean of the mu best, updates the conjugate
// evolution path p_sigma and the step size (cumulative step-size adaptation), the evolution path
// p_c (stalled by h_sigma when ||p_sigma|| is large), and C by the rank-one (p_c p_c^T) and
// rank-mu updates. C = B D^2 B^T is decomposed (at::linalg_eigh, float64, CPU) lazily, only when
// more than lambda / ((c_1 + c_mu) n 10) generations have passed since the last decomposition, so
// the per-generation bookkeeping is O(lambda n^2) (the tutorial's recommendation); C is made
// exactly symmetric before each decomposition and its eigenvalues are floored at a tiny positive
// value.
//
// Termination: stop() reports the first of the tutorial's criteria (appendix B.3) that holds; the
// optimizer keeps working if asked and told anyway, but past them the numbers degrade.
// Not included: negative weights (active CMA), restarts, boundary handling.
// Randomness: a 64-bit Mersenne Twister seeded with `seed` and a Box-Muller transform written
// here, so the same seed gives the same run on every platform.
// Checkpoints: state() / set_state() export and import everything a run depends on, so that a
// restored optimizer continues bit for bit (kept free of torch: the node converts to tensors).
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace lf::es {

// The complete state of a CmaEs run, as named flat arrays (matrices row-major, counters and flags
// as exact small integers) plus the generator's state as text (std::mt19937_64's stream format).
//   dim, lambda [1]                 the shape the state belongs to (checked on import)
//   mean, pc, ps, D [n]; C, B, invsqrtC [n*n]; sigma, sigma0 [1]
//   generation, eigen_generation, eigen_decompositions [1]
//   pending [1] (0/1); population, steps [lambda*n, or 0 before the first ask]: x_k and y_k
//   best_x [n]; best_f [1]; generation_bests [<= 10 + ceil(30 n / lambda)]; last_range [1]
//   normal_spare [0 or 1]: the Box-Muller value not yet used, if any
// The strategy parameters (weights, c_1, c_mu, ...) are functions of dim and lambda: not stored.
struct CmaEsState {
  std::map<std::string, std::vector<double>> arrays;
  std::string rng;
};

class CmaEs {
 public:
  // `mean`: the initial mean (its size is the dimension n >= 1). `sigma0 > 0`: the initial step
  // size. `lambda`: the population size, 0 for the default 4 + floor(3 ln n) (at least 2).
  CmaEs(std::vector<double> mean, double sigma0, int lambda = 0, uint64_t seed = 0);

  // Samples a new population of lambda candidates (each of size n). Calling ask() twice without
  // tell() in between replaces the pending population.
  const std::vector<std::vector<double>>& ask();
  // Ranks the pending population by `fitness` (lambda values, lower is better) and updates the
  // distribution. Throws std::invalid_argument on a wrong size, a NaN, or no pending population.
  void tell(const std::vector<double>& fitness);
  // The same, for candidates that were evaluated as `xs` instead of exactly as asked (rounded to
  // float32, say): the steps y_k = (x_k - m) / sigma are recomputed from `xs`.
  void tell(const std::vector<std::vector<double>>& xs, const std::vector<double>& fitness);

  int dim() const { return n_; }
  int lambda() const { return lambda_; }
  int mu() const { return mu_; }
  double mu_eff() const { return mueff_; }
  const std::vector<double>& weights() const { return w_; }
  const std::vector<double>& mean() const { return m_; }
  double sigma() const { return sigma_; }
  // Generations completed (number of tell() calls).
  int64_t generation() const { return gen_; }
  int64_t evaluations() const { return gen_ * lambda_; }
  // The best candidate told so far and its fitness (+inf and the initial mean before any tell).
  const std::vector<double>& best_x() const { return best_x_; }
  double best_f() const { return best_f_; }
  // The covariance matrix C (row-major n x n) and how many eigendecompositions were done.
  const std::vector<double>& cov() const { return C_; }
  int64_t eigen_decompositions() const { return n_eigen_; }
  bool has_pending() const { return pending_; }
  // Empty while the run should go on; otherwise the name of the first criterion that holds:
  //   "tolfun"       the best fitness of the last 10 + ceil(30 n / lambda) generations and all
  //                  fitness values of the last generation lie within 1e-12 of each other;
  //   "tolx"         sigma * max(|p_c|_i, sqrt(C_ii)) < 1e-12 * sigma0 for every i;
  //   "noeffectcoord" adding 0.2 sigma sqrt(C_ii) to some m_i does not change it;
  //   "conditioncov" the condition number of C exceeds 1e14;
  //   "nonfinite"    sigma or the mean is no longer finite.
  std::string stop() const;
  const std::vector<std::vector<double>>& pending() const { return x_; }

  // Everything the run depends on; set_state(state()) on an optimizer of the same dim and lambda
  // makes it continue exactly as this one would, also between ask() and tell().
  CmaEsState state() const;
  // Throws std::invalid_argument, changing nothing, when an array is missing or of the wrong size
  // (a state of another dim or lambda), a counter or flag is not a valid integer, or the generator
  // text does not parse.
  void set_state(const CmaEsState& s);

 private:
  double normal();
  void decompose();

  int n_, lambda_, mu_;
  std::vector<double> w_;
  double mueff_, cc_, cs_, c1_, cmu_, ds_, chin_;

  std::vector<double> m_;
  double sigma_, sigma0_;
  std::vector<double> pc_, ps_;
  std::vector<double> C_, B_, D_;  // C = B diag(D^2) B^T; B row-major, columns are eigenvectors
  std::vector<double> invsqrtC_;   // B diag(1/D) B^T
  int64_t gen_ = 0, eigen_gen_ = 0, n_eigen_ = 0;

  std::vector<std::vector<double>> x_, y_;  // pending candidates and their steps (x - m) / sigma
  bool pending_ = false;

  std::vector<double> best_x_;
  double best_f_ = std::numeric_limits<double>::infinity();
  std::deque<double> gen_best_;  // best fitness of the recent generations (for "tolfun")
  double last_range_ = std::numeric_limits<double>::infinity();

  std::mt19937_64 rng_;
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace lf::es
