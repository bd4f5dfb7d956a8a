// DMC's reward shaping (dm_control.utils.rewards.tolerance), written from its documented
// definition: 1 inside [lower, upper]; outside, a sigmoid of the distance to the nearest bound in
// units of `margin`, equal to `value_at_margin` at one margin. margin = 0 gives an indicator.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string_view>

namespace lf::envs {

enum class Sigmoid { Gaussian, Hyperbolic, LongTail, Reciprocal, Cosine, Linear, Quadratic, TanhSquared };

// The sigmoid at distance x >= 0 (in margins), scaled so that it equals value_at_margin at x = 1.
inline double sigmoid(double x, double value_at_margin, Sigmoid kind) {
  const double v = value_at_margin;
  switch (kind) {
    case Sigmoid::Gaussian: {
      const double s = std::sqrt(-2.0 * std::log(v));
      return std::exp(-0.5 * (x * s) * (x * s));
    }
    case Sigmoid::Hyperbolic: return 1.0 / std::cosh(x * std::acosh(1.0 / v));
    case Sigmoid::LongTail: {
      const double s = std::sqrt(1.0 / v - 1.0);
      return 1.0 / ((x * s) * (x * s) + 1.0);
    }
    case Sigmoid::Reciprocal: return 1.0 / (std::abs(x) * (1.0 / v - 1.0) + 1.0);
    case Sigmoid::Cosine: {
      const double s = std::acos(2.0 * v - 1.0) / M_PI;
      const double xs = x * s;
      return std::abs(xs) < 1.0 ? (1.0 + std::cos(M_PI * xs)) / 2.0 : 0.0;
    }
    case Sigmoid::Linear: {
      const double xs = x * (1.0 - v);
      return std::abs(xs) < 1.0 ? 1.0 - xs : 0.0;
    }
    case Sigmoid::Quadratic: {
      const double xs = x * std::sqrt(1.0 - v);
      return std::abs(xs) < 1.0 ? 1.0 - xs * xs : 0.0;
    }
    case Sigmoid::TanhSquared: {
      const double t = std::tanh(x * std::atanh(std::sqrt(1.0 - v)));
      return 1.0 - t * t;
    }
  }
  return 0.0;
}

inline double tolerance(double x, double lower, double upper, double margin = 0.0,
                        Sigmoid kind = Sigmoid::Gaussian, double value_at_margin = 0.1) {
  if (lower > upper) throw std::invalid_argument("tolerance: lower > upper");
  if (margin < 0) throw std::invalid_argument("tolerance: margin < 0");
  const bool in_bounds = lower <= x && x <= upper;
  if (margin == 0.0) return in_bounds ? 1.0 : 0.0;
  if (in_bounds) return 1.0;
  const double d = (x < lower ? lower - x : x - upper) / margin;
  return sigmoid(d, value_at_margin, kind);
}

}  // namespace lf::envs
