// The rl plugin: the behaviour-learning pieces of Dreamer (Hafner et al. 2019): the tanh-Gaussian
// actor head and its sampler (and DreamerV2's truncated-normal pair), lambda-returns over an
// imagined trajectory, and the actor and value losses (the imagination itself is a scan over the
// rssm blocks in the graph); TD-MPC's policy
// noise, TD target, model loss, policy loss and linear schedules; TD-MPC2's two-hot heads, Q pair,
// squashed-Gaussian policy, running scale and losses.
#include "latentflow/plugin.h"

#include "actor_loss.h"
#include "bernoulli_mode.h"
#include "lambda_return.h"
#include "linear_schedule.h"
#include "normal_actor.h"
#include "q_policy_loss.h"
#include "random_pair.h"
#include "running_scale.h"
#include "squashed_gaussian.h"
#include "tanh_normal.h"
#include "tanh_normal_actor.h"
#include "td_target.h"
#include "tdmpc2_loss.h"
#include "tdmpc2_policy_loss.h"
#include "told_loss.h"
#include "trunc_normal.h"
#include "truncated_normal.h"
#include "two_hot_decode.h"
#include "two_hot_loss.h"
#include "value_loss.h"

namespace {

void register_nodes(lf::Registry& r) {
  r.add(lf::rl::TanhNormalActorSchema(), lf::rl::MakeTanhNormalActor);
  r.add(lf::rl::TanhNormalSchema(), lf::rl::MakeTanhNormal);
  r.add(lf::rl::LambdaReturnSchema(), lf::rl::MakeLambdaReturn);
  r.add(lf::rl::ActorLossSchema(), lf::rl::MakeActorLoss);
  r.add(lf::rl::ValueLossSchema(), lf::rl::MakeValueLoss);
  r.add(lf::rl::TruncatedNormalSchema(), lf::rl::MakeTruncatedNormal);
  r.add(lf::rl::NormalActorSchema(), lf::rl::MakeNormalActor);
  r.add(lf::rl::TruncNormalSchema(), lf::rl::MakeTruncNormal);
  r.add(lf::rl::TdTargetSchema(), lf::rl::MakeTdTarget);
  r.add(lf::rl::ToldLossSchema(), lf::rl::MakeToldLoss);
  r.add(lf::rl::QPolicyLossSchema(), lf::rl::MakeQPolicyLoss);
  r.add(lf::rl::LinearScheduleSchema(), lf::rl::MakeLinearSchedule);
  r.add(lf::rl::TwoHotDecodeSchema(), lf::rl::MakeTwoHotDecode);
  r.add(lf::rl::TwoHotLossSchema(), lf::rl::MakeTwoHotLoss);
  r.add(lf::rl::RandomPairSchema(), lf::rl::MakeRandomPair);
  r.add(lf::rl::SquashedGaussianSchema(), lf::rl::MakeSquashedGaussian);
  r.add(lf::rl::RunningScaleSchema(), lf::rl::MakeRunningScale);
  r.add(lf::rl::BernoulliModeSchema(), lf::rl::MakeBernoulliMode);
  r.add(lf::rl::Tdmpc2LossSchema(), lf::rl::MakeTdmpc2Loss);
  r.add(lf::rl::Tdmpc2PolicyLossSchema(), lf::rl::MakeTdmpc2PolicyLoss);
}

}  // namespace

LATENTFLOW_PLUGIN(register_nodes)
