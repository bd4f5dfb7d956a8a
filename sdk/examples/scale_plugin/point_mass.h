// example.point_mass: a minimal custom environment, written against the SDK alone.
//
// A unit mass on a line, pushed by a force in [-1, 1]; the reward is 1 at the origin and falls
// off linearly to 0 at distance 1. It follows the port convention of the built-in environments
// (envs.dmc), so agent graphs and `engine env` can drive it the same way.
//
// Named Inputs:
//   action  [envs, 1] (optional)  force; unconnected, every call starts new episodes
// Named Outputs:
//   state   [envs, 2]   position and velocity
//   reward  [envs]      1 - min(|x|, 1)
//   first   [envs]      1 where this step starts an episode
//   last    [envs]      1 where this step ends an episode
//   episode_return [envs]
// Parameters:
//   envs (int, 1), episode_steps (int, 200), dt (float, 0.05)
// Stateful: the generator that draws each episode's start. save_state writes it (as text, key
// "rng"); load_state restores it, refuses a broken state with std::invalid_argument, and makes
// every env start a new episode, as the engine's environments do after a load. The example to
// copy for a node that keeps state between calls.
//
// Usage:
//   engine --plugin-path build env example.point_mass
//   "env": {"type": "example.point_mass", "envs": 4}
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::example {

NodeSchema PointMassSchema();
std::unique_ptr<Node> MakePointMass(const Params& p, BuildContext& ctx);

}  // namespace lf::example
