"""TD-MPC's planning and update as the authors' PyTorch code computes them, for bench/tdmpc_speed.sh.

Written for this benchmark after nicklashansen/tdmpc (src/algorithm/tdmpc.py, helper.py,
cfgs/default.yaml), not copied: the same networks (TOLD: h, d, R, pi, twin Qs with LayerNorm + Tanh
first layers, orthogonal init), the same plan (MPPI, 6 iterations, 512 Gaussian + 25 policy samples,
64 elites, horizon 5, warm start) and the same update (prioritized windows of batch 512, the
consistency / reward / value loss over the horizon with rho 0.5, Adam 1e-3, clip 10, the policy
step, the target EMA every 2 updates), at the full horizon and the final std (what the schedules
reach after 25k steps). Prints the median ms per planned action and per update over the timed calls.

Usage: /usr/bin/python3 bench/tdmpc_reference.py OBS_DIM ACTION_DIM PLANS UPDATES
"""
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

OBS, ACT = int(sys.argv[1]), int(sys.argv[2])
PLANS, UPDATES = int(sys.argv[3]), int(sys.argv[4])
LATENT, ENC, MLP = 50, 256, 512
HORIZON, SAMPLES, PI_SAMPLES, ELITES, ITERATIONS = 5, 512, 25, 64, 6
TEMPERATURE, MOMENTUM, MIN_STD = 0.5, 0.1, 0.05
BATCH, RHO, DISCOUNT, TAU = 512, 0.5, 0.99, 0.01
CONSISTENCY, REWARD, VALUE = 2.0, 0.5, 0.1
ALPHA, BETA = 0.6, 0.4


def orthogonal(m):
    if isinstance(m, nn.Linear):
        nn.init.orthogonal_(m.weight)
        nn.init.zeros_(m.bias)


def mlp(i, o, final_zero=False):
    net = nn.Sequential(nn.Linear(i, MLP), nn.ELU(), nn.Linear(MLP, MLP), nn.ELU(), nn.Linear(MLP, o))
    net.apply(orthogonal)
    if final_zero:
        nn.init.zeros_(net[-1].weight)
    return net


def q_net():
    net = nn.Sequential(nn.Linear(LATENT + ACT, MLP), nn.LayerNorm(MLP), nn.Tanh(), nn.Linear(MLP, MLP), nn.ELU(),
                        nn.Linear(MLP, 1))
    net.apply(orthogonal)
    nn.init.zeros_(net[-1].weight)
    return net


class Told(nn.Module):
    def __init__(self):
        super().__init__()
        self.h = nn.Sequential(nn.Linear(OBS, ENC), nn.ELU(), nn.Linear(ENC, LATENT))
        self.h.apply(orthogonal)
        self.d, self.r, self.pi_net = mlp(LATENT + ACT, LATENT), mlp(LATENT + ACT, 1, True), mlp(LATENT, ACT)
        self.q1, self.q2 = q_net(), q_net()

    def next(self, z, a):
        x = torch.cat([z, a], -1)
        return self.d(x), self.r(x)

    def pi(self, z, std):
        mu = torch.tanh(self.pi_net(z))
        eps = (torch.randn_like(mu) * std).clamp(-0.3, 0.3)
        return (mu + eps).clamp(-1, 1)

    def qs(self, z, a):
        x = torch.cat([z, a], -1)
        return self.q1(x), self.q2(x)


model, target = Told(), Told()
target.load_state_dict(model.state_dict())
optim = torch.optim.Adam(model.parameters(), lr=1e-3)
pi_optim = torch.optim.Adam(model.pi_net.parameters(), lr=1e-3)
prev_mean = None


@torch.no_grad()
def plan(obs, first):
    global prev_mean
    z0 = model.h(obs.unsqueeze(0))
    pi_actions = torch.empty(HORIZON, PI_SAMPLES, ACT)
    z = z0.repeat(PI_SAMPLES, 1)
    for t in range(HORIZON):
        pi_actions[t] = model.pi(z, MIN_STD)
        z, _ = model.next(z, pi_actions[t])
    z = z0.repeat(SAMPLES + PI_SAMPLES, 1)
    mean, std = torch.zeros(HORIZON, ACT), 2 * torch.ones(HORIZON, ACT)
    if not first and prev_mean is not None:
        mean[:-1] = prev_mean[1:]
    for _ in range(ITERATIONS):
        actions = torch.clamp(mean.unsqueeze(1) + std.unsqueeze(1) * torch.randn(HORIZON, SAMPLES, ACT), -1, 1)
        actions = torch.cat([actions, pi_actions], 1)
        g, zz, discount = 0, z, 1
        for t in range(HORIZON):
            zz, r = model.next(zz, actions[t])
            g, discount = g + discount * r, discount * DISCOUNT
        value = (g + discount * torch.min(*model.qs(zz, model.pi(zz, MIN_STD)))).nan_to_num_(0)
        idx = torch.topk(value.squeeze(1), ELITES, dim=0).indices
        elite_value, elite_actions = value[idx], actions[:, idx]
        score = torch.exp(TEMPERATURE * (elite_value - elite_value.max(0)[0]))
        score /= score.sum(0)
        new_mean = torch.sum(score.unsqueeze(0) * elite_actions, 1) / (score.sum(0) + 1e-9)
        new_std = torch.sqrt(torch.sum(score.unsqueeze(0) * (elite_actions - new_mean.unsqueeze(1)) ** 2, 1) /
                             (score.sum(0) + 1e-9)).clamp_(MIN_STD, 2)
        mean, std = MOMENTUM * mean + (1 - MOMENTUM) * new_mean, new_std
    score = score.squeeze(1).numpy()
    a = elite_actions[:, np.random.choice(np.arange(score.shape[0]), p=score)][0]
    prev_mean = mean
    return a + std[0] * torch.randn(ACT)


# A prioritized buffer of 20 episodes of random data, sampled as the reference's ReplayBuffer does.
EPISODE = 125
N = 20 * EPISODE
buf_obs, buf_act = torch.randn(N + HORIZON + 1, OBS), torch.rand(N + HORIZON + 1, ACT) * 2 - 1
buf_rew, priorities = torch.rand(N + HORIZON + 1), torch.ones(N)


def sample():
    probs = priorities ** ALPHA
    probs /= probs.sum()
    idx = torch.from_numpy(np.random.choice(N, BATCH, p=probs.numpy(), replace=True))
    weights = (N * probs[idx]) ** (-BETA)
    weights /= weights.max()
    obs = buf_obs[idx]
    steps = idx.unsqueeze(0) + torch.arange(HORIZON + 1).unsqueeze(1)
    return obs, buf_obs[steps[1:]], buf_act[steps[:-1]], buf_rew[steps[:-1]].unsqueeze(-1), idx, weights.unsqueeze(-1)


def update(step):
    obs, next_obses, action, reward, idx, weights = sample()
    optim.zero_grad(set_to_none=True)
    z = model.h(obs)
    zs = [z.detach()]
    consistency = reward_loss = value_loss = priority_loss = 0
    for t in range(HORIZON):
        q1, q2 = model.qs(z, action[t])
        z, reward_pred = model.next(z, action[t])
        with torch.no_grad():
            next_z_target = target.h(next_obses[t])
            next_z = model.h(next_obses[t])
            td = reward[t] + DISCOUNT * torch.min(*target.qs(next_z, model.pi(next_z, MIN_STD)))
        zs.append(z.detach())
        rho = RHO ** t
        consistency += rho * torch.mean(F.mse_loss(z, next_z_target, reduction="none"), 1, keepdim=True)
        reward_loss += rho * F.mse_loss(reward_pred, reward[t], reduction="none")
        value_loss += rho * (F.mse_loss(q1, td, reduction="none") + F.mse_loss(q2, td, reduction="none"))
        priority_loss += rho * (F.l1_loss(q1, td, reduction="none") + F.l1_loss(q2, td, reduction="none"))
    total = (CONSISTENCY * consistency.clamp(max=1e4) + REWARD * reward_loss.clamp(max=1e4) +
             VALUE * value_loss.clamp(max=1e4))
    ((total.squeeze(1) * weights.squeeze(1)).mean() / HORIZON).backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 10)
    optim.step()
    priorities[idx] = priority_loss.clamp(max=1e4).detach().squeeze(1)
    pi_optim.zero_grad(set_to_none=True)
    for p in list(model.q1.parameters()) + list(model.q2.parameters()):
        p.requires_grad_(False)
    pi_loss = sum(-torch.min(*model.qs(z, model.pi(z, MIN_STD))).mean() * RHO ** t for t, z in enumerate(zs))
    pi_loss.backward()
    torch.nn.utils.clip_grad_norm_(model.pi_net.parameters(), 10)
    pi_optim.step()
    for p in list(model.q1.parameters()) + list(model.q2.parameters()):
        p.requires_grad_(True)
    if step % 2 == 0:
        with torch.no_grad():
            for p, pt in zip(model.parameters(), target.parameters()):
                pt.data.lerp_(p.data, TAU)


def timed(fn, calls):
    times = []
    for k in range(calls + 2):  # two warm-up calls
        start = time.perf_counter()
        fn(k)
        if k >= 2:
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


obs = torch.randn(OBS)
print(f"plan_ms {timed(lambda k: plan(obs, k % EPISODE == 0), PLANS):.1f}")
print(f"update_ms {timed(update, UPDATES):.1f}")
