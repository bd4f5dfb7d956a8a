// envs.dmc: a vector of control-suite environments stepped in parallel, one agent step per call.
//
// Named Inputs:
//   action  [envs, A] f32 (optional)  actions in [-1, 1]; unconnected, every call starts new episodes
// Named Outputs:
//   state   [envs, O] f32        the task's observation vector (order: docs/envs.md)
//   pixels  [envs, size, size, 3] u8   the camera image when obs is pixels or both, else [envs, 0, 0, 3]
//   reward  [envs] f32           summed over action_repeat control steps; 0 on an episode's first step
//   first   [envs] f32           1 where this step starts an episode (the action was not applied)
//   last    [envs] f32           1 where this step ends an episode (the time limit)
//   episode_return [envs] f32    the return of the current episode so far
//   env_steps   [] i64           control steps taken in this call by all instances (a program's
//                                rollout adds it to its env_steps counter)
//   agent_steps [] i64           instances that applied an action in this call
// Parameters:
//   task (one of the task names), obs ("state" | "pixels" | "both", "state"), size (64),
//   camera (-1: the task's default camera), look ("dmc": shadows, 4x multisampling and floor
//   reflections as DMC renders; "fast": none of them, ~20x faster on the CPU), action_repeat (1),
//   episode_steps (1000 control steps),
//   envs (1 instance), seed (-1: derived from the run's --seed; instance i uses seed + i)
//
// Stateful: each instance's generator and episode under way are saved in checkpoints; a loaded
// node continues those episodes exactly.
//
// Instances share the task's compiled model (read-only) and a pool of renderers (one per thread),
// so a block of 1024 builds in seconds; each has its own MuJoCo data and generator.
//
// Episodes restart by themselves: the call after a `last` step resets that instance and returns its
// first observation (first = 1, reward 0) instead of applying the action, so no observation is lost.
//
// Usage in a graph file:
//   "env": {"type": "envs.dmc", "task": "cartpole_swingup", "obs": "pixels", "action_repeat": 8, "envs": 4}
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::envs {

NodeSchema EnvNodeSchema();
std::unique_ptr<Node> MakeEnvNode(const Params& p, BuildContext& ctx);

}  // namespace lf::envs
