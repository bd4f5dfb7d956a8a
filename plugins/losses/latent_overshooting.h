// losses.latent_overshooting: PlaNet's latent overshooting KL (Hafner et al. 2018, section 4, eq. 7).
// For every distance d = 1..D the prior rolled open loop d steps from the posterior state before
// step t (with the actions in between) is pulled toward the posterior at t:
//
//   kl_d[b,t] = KL(q(s_t | o<=t) || p(s_t | state before step t-d+1, a_{t-d+1..t})), summed over stoch
//   K_d       = mean over the pairs (b, t) that exist at distance d of max(kl_d[b,t], free_nats)
//   kl        = K_1 + beta * mean_{d=2..D} K_d
//   kl_raw    = the same without free nats, detached
//
// With distance 1 this is the one-step KL of losses.kl_gaussian (free_nats_mode "per_step"), so
// the node replaces that KL in a graph that turns overshooting on. The start states are the
// posterior states (h, s)[t] as the observe scan returned them, plus, when h0 and s0 are connected,
// the state the scan started from. All start positions are rolled at once as one batch
// [B*T', ...], one call of the model flow per distance step; a start whose next target would lie
// past the end of the sequence is dropped from the batch, so pairs past T are never computed.
// Distances longer than the sequence have no pairs and are left out of the mean over d.
//
// Time alignment: action[t] is the action that led to step t (applied between t-1 and t), as the
// replay stores it and the observe scan consumes it. A rollout from the state before step j
// applies action[j], action[j+1], ... and its k-th prediction is compared with the posterior at
// j+k-1. The posterior at t is (h, s)[t], the state before step t+1.
//
// Named Inputs:
//   h          [B, T, deter]  posterior deterministic states (the rollout start states)
//   s          [B, T, stoch]  posterior samples (the rollout start states)
//   post_mean  [B, T, stoch]  posterior mean  (the targets)
//   post_std   [B, T, stoch]  posterior std
//   action     [B, T, A]      action[t] led to step t
//   h0         [B, deter]     optional: the state the observe scan started from; with s0, adds the
//   s0         [B, stoch]     optional  rollouts from it (T start positions instead of T-1)
// Named Outputs:
//   kl      []  0-dim, after free nats: the term to optimize
//   kl_raw  []  0-dim, before free nats, detached: for logging
// Parameters:
//   model          flow, required: one prior step. Inputs `action` [N, A], `h` [N, deter],
//                  `s` [N, stoch]; outputs `h` (next deterministic state), `mean`, `std` (the
//                  prior at the next step) and `s` (the state fed to the next step: a sample,
//                  as the prior cell samples during training). Checked by name at the first call.
//   distance       int >= 1, default 50: D, the longest distance (PlaNet's chunk length)
//   free_nats      float >= 0, default 3.0: clamps each (b, t, d) KL from below
//   beta           float >= 0, default 1.0: weight of the mean over d >= 2 relative to d = 1
//   stop_gradient  bool, default true: the posterior targets of the terms d >= 2 pass no gradient
//
// Usage in a graph file (a prior step flow, and the node in the training flow):
//   "prior_step": { "inputs": { "action": {"shape": ["N", 6]}, "h": {"shape": ["N", 200]},
//                               "s": {"shape": ["N", 30]} },
//     "nodes": { "cell":  { "block": "deter", "inputs": { "h": "$h", "s": "$s", "a": "$action" } },
//                "prior": { "block": "prior", "inputs": { "h": "cell.h_next" } } },
//     "outputs": { "h": "cell.h_next", "mean": "prior.mean", "std": "prior.std", "s": "prior.sample" } }
//   "kl": { "type": "losses.latent_overshooting", "model": "prior_step", "distance": 50,
//           "inputs": { "h": "observe.h", "s": "observe.s", "post_mean": "observe.post_mean",
//                       "post_std": "observe.post_std", "action": "batch.action",
//                       "h0": "init.h", "s0": "init.s" } }
//
// Faithfulness: google-research/planet. tools/overshooting.py rolls the transition open loop
// from the state before every step (the posterior at t-1, the zero initial state at t = 0) as
// one merged batch, with prev_action[t] the action leading to step t; row k of its output is
// distance k+1 and entries past the sequence are masked. training/define_model.py uses row 0 as
// the zero-step divergence and rows 1..overshooting as the overshooting divergence, with
// tf.stop_gradient on those rows' posteriors when stop_os_posterior_gradient (True in
// scripts/configs.py); the zero-step row keeps its posterior gradient, and the start states are
// not stopped in either. training/utility.py compute_losses applies tf.maximum(free_nats, kl) to
// every (batch, time, distance) entry, sums over time, divides by the number of valid steps per
// (batch, distance) and averages over batch and distances; each term is scaled by its
// `divergence` scale, which configs.py copies from the zero-step scale (1.0): beta = 1 here.
// Their `overshooting` counts the extra distances, so D = overshooting + 1: configs.py sets
// overshooting = 0 (only the one-step KL, the paper's final agent) with free_nats 3.0; an
// earlier configs.py in the repository's history used overshooting = chunk length - 1 = 49
// (D = 50) with free_nats 2.0. Deviations: (1) the mean over time counts the valid pairs of each
// distance; the authors' tf.maximum also turns the masked (zero) entries into free_nats that are
// summed into the numerator, a constant without gradient that inflates their reported value,
// not added here. (2) Their one-step row at t = 0 starts from the zero initial state; here that
// needs h0 and s0, without them the node starts at the first posterior (T-1 pairs at d = 1).
// (3) Their code skips the overshooting terms unless overshooting > 1, so their D = 2 is
// one-step only; here D = 2 adds the d = 2 term. (4) The paper's eq. 7 writes
// (1/D) sum_d beta_d KL_d; the authors' code, followed here, weights d = 1 by 1 and the mean of
// d >= 2 by beta.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::losses {

NodeSchema LatentOvershootingSchema();
std::unique_ptr<Node> MakeLatentOvershooting(const Params& p, BuildContext& ctx);

}  // namespace lf::losses
