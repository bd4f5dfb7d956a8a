// The reference the KL tests compute by hand.
#pragma once

#include <cmath>

// KL(N(mq, sq^2) || N(mp, sp^2)) in one dimension.
inline double kl1(double mq, double sq, double mp, double sp) {
  return std::log(sp / sq) + (sq * sq + (mq - mp) * (mq - mp)) / (2 * sp * sp) - 0.5;
}
