#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "cmaes.h"

namespace {

using lf::es::CmaEs;
using lf::es::CmaEsState;
using Fn = std::function<double(const std::vector<double>&)>;

double sphere(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v * v;
  return s;
}

double rosenbrock(const std::vector<double>& x) {
  double s = 0;
  for (size_t i = 0; i + 1 < x.size(); ++i)
    s += 100 * std::pow(x[i + 1] - x[i] * x[i], 2) + std::pow(1 - x[i], 2);
  return s;
}

struct Result {
  double best_f;
  int64_t generations, evaluations;
};

// Runs CMA-ES until the best fitness is below `target` or `max_gens` generations have passed.
Result minimize(const Fn& f, std::vector<double> x0, double sigma0, uint64_t seed, double target, int max_gens) {
  CmaEs es(std::move(x0), sigma0, 0, seed);
  while (es.best_f() >= target && es.generation() < max_gens && es.stop().empty()) {
    const auto& xs = es.ask();
    std::vector<double> fit;
    for (const auto& x : xs) fit.push_back(f(x));
    es.tell(fit);
  }
  return {es.best_f(), es.generation(), es.evaluations()};
}

// Best of `evals` uniform samples in [-2, 2]^n.
double random_search(const Fn& f, int n, int64_t evals, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  double best = INFINITY;
  std::vector<double> x(n);
  for (int64_t e = 0; e < evals; ++e) {
    for (auto& v : x) v = u(rng);
    best = std::min(best, f(x));
  }
  return best;
}

std::vector<double> uniform_start(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> x(n);
  for (auto& v : x) v = u(rng);
  return x;
}

TEST(CmaEs, DefaultStrategyParameters) {
  CmaEs es(std::vector<double>(10, 0.0), 0.5);
  EXPECT_EQ(es.lambda(), 10);  // 4 + floor(3 ln 10)
  EXPECT_EQ(es.mu(), 5);
  double sw = 0;
  for (size_t i = 0; i < es.weights().size(); ++i) {
    sw += es.weights()[i];
    if (i) EXPECT_LT(es.weights()[i], es.weights()[i - 1]);
  }
  EXPECT_NEAR(sw, 1.0, 1e-12);
  EXPECT_NEAR(es.mu_eff(), 3.1672, 1e-3);  // as reported by pycma for n = 10
  EXPECT_EQ(CmaEs(std::vector<double>(2, 0.0), 1.0).lambda(), 6);
  EXPECT_EQ(CmaEs(std::vector<double>(867, 0.0), 1.0).lambda(), 24);
  EXPECT_EQ(CmaEs(std::vector<double>(5, 0.0), 1.0, 64).lambda(), 64);
}

TEST(CmaEs, MinimizesSphere10D) {
  const auto r = minimize(sphere, std::vector<double>(10, 0.5), 0.5, 1, 1e-6, 1000);
  std::printf("[ sphere-10D ] f = %.3g after %lld generations, %lld evaluations\n", r.best_f,
              (long long)r.generations, (long long)r.evaluations);
  EXPECT_LT(r.best_f, 1e-6);
  EXPECT_LT(r.generations, 400);
  const double rs = random_search(sphere, 10, r.evaluations, 2);
  std::printf("[ sphere-10D ] random search, same %lld evaluations: f = %.3g\n", (long long)r.evaluations, rs);
  EXPECT_LT(r.best_f, 1e-3 * rs);
}

TEST(CmaEs, MinimizesRosenbrock10D) {
  const auto r = minimize(rosenbrock, uniform_start(10, 3), 0.5, 1, 1e-6, 10000);
  std::printf("[ rosenbrock-10D ] f = %.3g after %lld generations, %lld evaluations\n", r.best_f,
              (long long)r.generations, (long long)r.evaluations);
  EXPECT_LT(r.best_f, 1e-6);
  const double rs = random_search(rosenbrock, 10, r.evaluations, 4);
  std::printf("[ rosenbrock-10D ] random search, same %lld evaluations: f = %.3g\n", (long long)r.evaluations, rs);
  EXPECT_LT(r.best_f, 1e-3 * rs);
}

TEST(CmaEs, SameSeedSameRunOtherSeedOtherRun) {
  auto run = [](uint64_t seed) {
    CmaEs es(std::vector<double>(6, 0.3), 0.4, 0, seed);
    for (int g = 0; g < 50; ++g) {
      std::vector<double> fit;
      for (const auto& x : es.ask()) fit.push_back(rosenbrock(x));
      es.tell(fit);
    }
    return es;
  };
  const CmaEs a = run(7), b = run(7), c = run(8);
  EXPECT_EQ(a.mean(), b.mean());
  EXPECT_EQ(a.sigma(), b.sigma());
  EXPECT_EQ(a.best_x(), b.best_x());
  EXPECT_EQ(a.best_f(), b.best_f());
  EXPECT_EQ(a.cov(), b.cov());
  EXPECT_NE(a.mean(), c.mean());
}

TEST(CmaEs, CovarianceStaysSymmetricPositiveAndDecomposesLazily) {
  CmaEs es(std::vector<double>(8, 1.0), 0.3, 0, 5);
  for (int g = 0; g < 100; ++g) {
    std::vector<double> fit;
    for (const auto& x : es.ask()) {
      double s = 0;  // an ill-conditioned ellipsoid
      for (size_t i = 0; i < x.size(); ++i) s += std::pow(1e3, double(i) / (x.size() - 1)) * x[i] * x[i];
      fit.push_back(s);
    }
    es.tell(fit);
  }
  const int n = es.dim();
  for (int i = 0; i < n; ++i) {
    EXPECT_GT(es.cov()[i * n + i], 0);
    for (int j = 0; j < n; ++j) EXPECT_EQ(es.cov()[i * n + j], es.cov()[j * n + i]);
  }
  EXPECT_GT(es.eigen_decompositions(), 0);
  EXPECT_LT(es.eigen_decompositions(), es.generation());
  // The covariance learned the ellipsoid's scaling: the cheap axis has the larger variance.
  EXPECT_GT(es.cov()[0] / es.cov()[(n - 1) * n + n - 1], 10);
}

TEST(CmaEs, StopsOnceConvergedAndStaysFinitePastIt) {
  CmaEs es(std::vector<double>(5, 0.5), 0.5, 0, 2);
  auto gen = [&] {
    std::vector<double> fit;
    for (const auto& x : es.ask()) fit.push_back(sphere(x));
    es.tell(fit);
  };
  while (es.stop().empty() && es.generation() < 2000) gen();
  std::printf("[ stop ] sphere-5D stopped by '%s' after %lld generations, f = %.3g\n", es.stop().c_str(),
              (long long)es.generation(), es.best_f());
  EXPECT_FALSE(es.stop().empty());
  EXPECT_LT(es.generation(), 2000);
  for (int g = 0; g < 1000; ++g) gen();  // asked and told anyway: no NaN or inf appears
  EXPECT_NE(es.stop(), "nonfinite");
  for (double v : es.cov()) EXPECT_TRUE(std::isfinite(v));
}

TEST(CmaEs, TellRecomputesStepsFromEvaluatedCandidates) {
  CmaEs a(std::vector<double>(4, 0.0), 1.0, 0, 3), b(std::vector<double>(4, 0.0), 1.0, 0, 3);
  auto xs = a.ask();
  b.ask();
  std::vector<double> fit;
  for (const auto& x : xs) fit.push_back(sphere(x));
  a.tell(fit);
  b.tell(xs, fit);  // the same candidates: the same update
  EXPECT_EQ(a.mean(), b.mean());
  EXPECT_EQ(a.sigma(), b.sigma());
}

TEST(CmaEs, RejectsBadInput) {
  EXPECT_THROW(CmaEs({}, 1.0), std::invalid_argument);
  EXPECT_THROW(CmaEs({0.0}, 0.0), std::invalid_argument);
  EXPECT_THROW(CmaEs({0.0, 0.0}, 1.0, 1), std::invalid_argument);
  CmaEs es(std::vector<double>(3, 0.0), 1.0, 6, 1);
  EXPECT_THROW(es.tell(std::vector<double>(6, 0.0)), std::invalid_argument);  // nothing asked
  es.ask();
  EXPECT_THROW(es.tell(std::vector<double>(5, 0.0)), std::invalid_argument);
  std::vector<double> nan(6, 1.0);
  nan[2] = NAN;
  EXPECT_THROW(es.tell(nan), std::invalid_argument);
  EXPECT_NO_THROW(es.tell(std::vector<double>(6, 1.0)));
  EXPECT_EQ(es.generation(), 1);
}

// Bit-for-bit equality (EXPECT_EQ on doubles would equate 0.0 and -0.0).
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// One generation on Rosenbrock; returns the candidates asked and the mean after the update.
std::pair<std::vector<std::vector<double>>, std::vector<double>> generation(CmaEs& es) {
  const auto xs = es.ask();
  std::vector<double> fit;
  for (const auto& x : xs) fit.push_back(rosenbrock(x));
  es.tell(fit);
  return {xs, es.mean()};
}

// Continues both optimizers `gens` generations and expects identical candidates and means.
void expect_same_continuation(CmaEs& a, CmaEs& b, int gens) {
  for (int g = 0; g < gens; ++g) {
    const auto [xa, ma] = generation(a);
    const auto [xb, mb] = generation(b);
    ASSERT_EQ(xa.size(), xb.size());
    for (size_t k = 0; k < xa.size(); ++k) ASSERT_TRUE(same_bits(xa[k], xb[k])) << "generation " << g << ", candidate " << k;
    ASSERT_TRUE(same_bits(ma, mb)) << "generation " << g;
  }
  EXPECT_EQ(a.sigma(), b.sigma());
  EXPECT_EQ(a.best_f(), b.best_f());
  EXPECT_EQ(a.eigen_decompositions(), b.eigen_decompositions());
  EXPECT_EQ(a.state().arrays, b.state().arrays);
  EXPECT_EQ(a.state().rng, b.state().rng);
}

std::string cmaes_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no std::invalid_argument)";
}

TEST(CmaEs, StateRestoresTheRunBitForBit) {
  // n = 7: lambda = 9 draws 63 normals per generation, so after an odd number of generations a
  // Box-Muller spare is pending; the covariance is decomposed every few generations.
  CmaEs a(uniform_start(7, 11), 0.4, 0, 21);
  for (int g = 0; g < 31; ++g) generation(a);
  const CmaEsState saved = a.state();
  ASSERT_EQ(saved.arrays.at("normal_spare").size(), 1u);
  ASSERT_GT(a.eigen_decompositions(), 1);
  const int64_t decompositions = a.eigen_decompositions();

  // Another start, step size and seed: everything must come from the state.
  CmaEs b(std::vector<double>(7, 0.0), 1.0, 0, 99);
  b.set_state(saved);
  EXPECT_EQ(b.generation(), 31);
  EXPECT_TRUE(same_bits(b.mean(), a.mean()));
  expect_same_continuation(a, b, 40);
  EXPECT_GT(a.eigen_decompositions(), decompositions);  // the continuation decomposed C again
}

TEST(CmaEs, StateTakenBetweenAskAndTellRestoresThePendingPopulation) {
  CmaEs a(uniform_start(7, 12), 0.4, 0, 22);
  for (int g = 0; g < 20; ++g) generation(a);
  const auto asked = a.ask();
  const CmaEsState saved = a.state();

  CmaEs b(std::vector<double>(7, 0.0), 1.0, 0, 98);
  b.set_state(saved);
  ASSERT_TRUE(b.has_pending());
  ASSERT_EQ(b.pending().size(), asked.size());
  for (size_t k = 0; k < asked.size(); ++k) EXPECT_TRUE(same_bits(b.pending()[k], asked[k]));
  std::vector<double> fit;
  for (const auto& x : asked) fit.push_back(rosenbrock(x));
  a.tell(fit);
  b.tell(fit);
  EXPECT_TRUE(same_bits(a.mean(), b.mean()));
  expect_same_continuation(a, b, 30);
}

TEST(CmaEs, StateBeforeTheFirstAskRestoresAFreshRun) {
  CmaEs a(uniform_start(4, 13), 0.3, 0, 23), fresh(uniform_start(4, 13), 0.3, 0, 23);
  const CmaEsState saved = a.state();
  for (int g = 0; g < 5; ++g) generation(a);
  a.set_state(saved);
  EXPECT_FALSE(a.has_pending());
  EXPECT_EQ(a.generation(), 0);
  expect_same_continuation(a, fresh, 10);
}

TEST(CmaEs, SetStateRefusesAnotherShapeOrABrokenStateAndChangesNothing) {
  CmaEs es(uniform_start(3, 14), 0.5, 0, 24), twin(uniform_start(3, 14), 0.5, 0, 24);
  for (int g = 0; g < 3; ++g) {
    generation(es);
    generation(twin);
  }

  const std::string dim = cmaes_error([&] { es.set_state(CmaEs(std::vector<double>(4, 0.0), 1.0).state()); });
  EXPECT_NE(dim.find("dim 4"), std::string::npos) << dim;
  EXPECT_NE(dim.find("dim 3"), std::string::npos) << dim;
  const std::string pop = cmaes_error([&] { es.set_state(CmaEs(std::vector<double>(3, 0.0), 1.0, 12).state()); });
  EXPECT_NE(pop.find("population 12"), std::string::npos) << pop;

  const CmaEsState good = twin.state();
  auto broken = [&](const std::function<void(CmaEsState&)>& edit) {
    CmaEsState s = good;
    edit(s);
    return cmaes_error([&] { es.set_state(s); });
  };
  EXPECT_NE(broken([](CmaEsState& s) { s.arrays.erase("C"); }).find("no array 'C'"), std::string::npos);
  EXPECT_NE(broken([](CmaEsState& s) { s.arrays["C"].pop_back(); }).find("'C' has 8 values, expected 9"),
            std::string::npos);
  EXPECT_NE(broken([](CmaEsState& s) { s.arrays["generation"] = {2.5}; }).find("'generation'"), std::string::npos);
  const std::string pending = broken([](CmaEsState& s) {
    s.arrays["pending"] = {1.0};
    s.arrays["population"].clear();
  });
  EXPECT_NE(pending.find("'population'"), std::string::npos) << pending;
  EXPECT_NE(broken([](CmaEsState& s) { s.rng = "not a generator"; }).find("generator"), std::string::npos);

  // Every refusal left the optimizer as it was.
  expect_same_continuation(es, twin, 5);
}

}  // namespace
