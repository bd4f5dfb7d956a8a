// es.cmaes: CMA-ES (Hansen's tutorial, default strategy parameters; see cmaes.h) as an ask/tell
// node: each call tells the fitness of the population it output last time, then asks a new one.
//
//   run: if `fitness` is connected and defined and a population is pending:
//          tell(fitness) (negated first when maximize), then ask a new population;
//        else if no population is pending (the first call): ask the first population;
//        else (a call without fitness): output the pending population again, unchanged.
//
// P is the population size (lambda): `population`, or its default when that is 0.
//
// Named Inputs:
//   fitness     [P]         optional; the fitness of each row of the `candidates` this node output
//                           on its previous call, in the same order. Lower is better unless
//                           maximize is true. Must be 1-D of size P, with no NaN (+-inf is
//                           allowed: it ranks last/first). Read as float64.
// Named Outputs:
//   candidates  [P, dim]    the population to evaluate next (f32)
//   mean        [dim]       the distribution mean m after the last update (f32)
//   sigma       []          the step size after the last update (f32)
//   best        [dim]       the best candidate told so far (the initial mean before any tell)
//   best_fitness []         its fitness, in the caller's sign (before any tell: +inf when
//                           minimizing, -inf when maximizing)
// Parameters:
//   dim         int >= 1, required    number of parameters being optimized
//   population  int >= 0, default 0   lambda; 0 = 4 + floor(3 ln dim); must be >= 2 otherwise
//   sigma0      float > 0, default 0.1  initial step size
//   init_mean   float, default 0.0    every coordinate of the initial mean
//   seed        int >= -1, default -1 the RNG seed; -1 = the block's seed from the run's --seed
//   maximize    bool, default false   true: the fitness is a return to maximize (it is negated
//                                      before ranking); false: a cost to minimize
// Stateful: the mean, step size, evolution paths, covariance and its eigenbasis, generation count,
// the pending population, the best-so-far and the RNG. save_state writes the optimizer's whole
// state (CmaEsState in cmaes.h: one float64 tensor per array, "rng" as uint8 text); a run resumed
// from it continues bit for bit, also when saved between a call's ask and the next call's tell.
// load_state refuses (std::invalid_argument, node unchanged) a state of another dim or population.
//
// Usage in a graph file (World Models' controller C, dim = (32 + 256) * 3 + 3 = 867 for CarRacing,
// population 64; the graph evaluates each candidate's mean return over its rollouts):
//   "blocks": { "controller_es": { "type": "es.cmaes", "dim": 867, "population": 64,
//               "sigma0": 0.1, "maximize": true } }
//   flow "evolve": controller_es.candidates -> rollouts -> returns [P] -> controller_es.fitness
//   (the returns reach `fitness` on the next call, through the flow's carried state).
//
// Faithfulness: World Models (Ha & Schmidhuber 2018; the estool code) evolves C with pycma's
// CMA-ES, population 64, sigma_init 0.10, each candidate scored by its average return over 16
// rollouts, maximizing the return (estool passes negated rewards to pycma's minimizing tell; here
// set maximize: true, or feed negative returns with maximize false). This node implements the
// tutorial's CMA-ES with positive weights only; pycma's defaults add refinements not done here:
// active CMA (negative weights), its own c_mu/c_1 tweaks for large populations, boundary
// handling, restarts and termination criteria. Candidates are output as f32 and the update uses
// those f32 values (the steps are recomputed from them), so the state stays consistent with what
// was evaluated. Memory and time per call are O(dim^2) (the full covariance): for dim ~ 10^3 that
// is a few MB and a decomposition every few generations.
#pragma once

#include <memory>

#include "latentflow/node.h"

namespace lf::es {

NodeSchema CmaEsSchema();
std::unique_ptr<Node> MakeCmaEs(const Params& p, BuildContext& ctx);

}  // namespace lf::es
