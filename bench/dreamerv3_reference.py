"""DreamerV3's update and policy step as an eager PyTorch port computes them, for
bench/dreamerv3_speed.sh.

Written for this benchmark after danijar/dreamerv3 (the 2023 release: agent.py, nets.py,
jaxutils.py, configs.yaml with dmc_proprio) in the way the public PyTorch ports run it (eager ops,
a Python loop over time), not copied: LayerNorm + SiLU linears, deter 512, 32 x 32 categorical
latents with 1% unimix and straight-through samples, a learned initial state, encoder and decoder
MLPs of 5 x 1024 (symlog inputs and targets), reward and critic two-hot heads of 2 x 512 over 255
symlog bins, a continue head, KL dyn 0.5 / rep 0.1 with 1 free nat per step; imagination of 15
steps from the 1024 posterior states, lambda-returns (gamma 1 - 1/333, lambda 0.95), the
percentile return scale, the actor's normalized advantage with entropy 3e-4 backpropagated
through the dynamics, the critic's two-hot loss plus its slow-critic regularizer and EMA; Adam
as the configs (1e-4 / 3e-5, clips 1000 / 100). Prints the median ms of the world-model step, of
imagination + actor + critic, and of a policy step at batch 1 over the timed calls.

Usage: /usr/bin/python3 bench/dreamerv3_reference.py OBS_DIM ACTION_DIM UPDATES POLICY_STEPS
"""
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)

OBS, ACT = int(sys.argv[1]), int(sys.argv[2])
UPDATES, POLICY_STEPS = int(sys.argv[3]), int(sys.argv[4])
DETER, HIDDEN, STOCH, CLASSES, UNITS, MLP_UNITS, BINS = 512, 512, 32, 32, 512, 1024, 255
B, T, H = 16, 64, 15
GAMMA, LAMBDA, ACTENT, UNIMIX = 1 - 1 / 333, 0.95, 3e-4, 0.01
FLAT, FEAT = STOCH * CLASSES, STOCH * CLASSES + DETER
BINS_AT = torch.linspace(-20, 20, BINS)


def symlog(x):
    return torch.sign(x) * torch.log1p(x.abs())


def symexp(x):
    return torch.sign(x) * torch.expm1(x.abs())


def norm_linear(i, o):
    return nn.Sequential(nn.Linear(i, o, bias=False), nn.LayerNorm(o, eps=1e-3), nn.SiLU())


def mlp(i, o, layers, units, zero=False):
    mods = [norm_linear(i if k == 0 else units, units) for k in range(layers)]
    out = nn.Linear(units, o)
    if zero:
        nn.init.zeros_(out.weight)
        nn.init.zeros_(out.bias)
    return nn.Sequential(*mods, out)


def two_hot_mean(logits):
    return symexp((logits.softmax(-1) * BINS_AT).sum(-1))


def two_hot_loss(logits, target):
    x = symlog(target).clamp(-20, 20)
    below = ((BINS_AT <= x[..., None]).sum(-1) - 1).clamp(0, BINS - 1)
    above = (BINS - (BINS_AT > x[..., None]).sum(-1)).clamp(0, BINS - 1)
    equal = below == above
    to_below = torch.where(equal, torch.ones_like(x), (BINS_AT[below] - x).abs())
    to_above = torch.where(equal, torch.ones_like(x), (BINS_AT[above] - x).abs())
    total = to_below + to_above
    target = F.one_hot(below, BINS) * (to_above / total)[..., None] + F.one_hot(above, BINS) * (to_below / total)[..., None]
    return -(target * logits.log_softmax(-1)).sum(-1)


class RSSM(nn.Module):
    def __init__(self):
        super().__init__()
        self.initial = nn.Parameter(torch.zeros(DETER))
        self.img_in = norm_linear(FLAT + ACT, HIDDEN)
        self.gru = nn.Linear(HIDDEN + DETER, 3 * DETER, bias=False)
        self.gru_norm = nn.LayerNorm(3 * DETER, eps=1e-3)
        self.img_out, self.img_stats = norm_linear(DETER, HIDDEN), nn.Linear(HIDDEN, FLAT)
        self.obs_out, self.obs_stats = norm_linear(DETER + MLP_UNITS, HIDDEN), nn.Linear(HIDDEN, FLAT)

    def logits(self, x):
        probs = x.view(*x.shape[:-1], STOCH, CLASSES).softmax(-1)
        return ((1 - UNIMIX) * probs + UNIMIX / CLASSES).log()

    def sample(self, logits):
        probs = logits.exp()
        index = torch.multinomial(probs.reshape(-1, CLASSES), 1).view(*probs.shape[:-1])
        one_hot = F.one_hot(index, CLASSES).float()
        return (one_hot + probs - probs.detach()).flatten(-2)

    def start(self, n):
        deter = torch.tanh(self.initial).expand(n, DETER)
        logits = self.logits(self.img_stats(self.img_out(deter)))
        return deter, F.one_hot(logits.argmax(-1), CLASSES).float().flatten(-2)

    def img_step(self, deter, stoch, action):
        action = action * (1 / torch.clamp(action.detach().abs(), min=1))
        x = self.img_in(torch.cat([stoch, action], -1))
        reset, cand, update = self.gru_norm(self.gru(torch.cat([x, deter], -1))).chunk(3, -1)
        reset = torch.sigmoid(reset)
        cand = torch.tanh(reset * cand)
        update = torch.sigmoid(update - 1)
        deter = update * cand + (1 - update) * deter
        logits = self.logits(self.img_stats(self.img_out(deter)))
        return deter, self.sample(logits), logits

    def obs_step(self, deter, stoch, action, embed):
        deter, _, prior = self.img_step(deter, stoch, action)
        post = self.logits(self.obs_stats(self.obs_out(torch.cat([deter, embed], -1))))
        return deter, self.sample(post), post, prior


encoder = mlp(OBS, MLP_UNITS, 4, MLP_UNITS)
encoder[-1] = norm_linear(MLP_UNITS, MLP_UNITS)  # the encoder's last layer is normed too
rssm = RSSM()
decoder = mlp(FEAT, OBS, 5, MLP_UNITS)
reward_head = mlp(FEAT, BINS, 2, UNITS, zero=True)
cont_head = mlp(FEAT, 1, 2, UNITS)
actor = mlp(FEAT, 2 * ACT, 2, UNITS)
critic, slow = mlp(FEAT, BINS, 2, UNITS, zero=True), mlp(FEAT, BINS, 2, UNITS, zero=True)
slow.load_state_dict(critic.state_dict())
world = [encoder, rssm, decoder, reward_head, cont_head]
world_params = [p for m in world for p in m.parameters()]
model_opt = torch.optim.Adam(world_params, lr=1e-4, eps=1e-8)
actor_opt = torch.optim.Adam(actor.parameters(), lr=3e-5, eps=1e-5)
critic_opt = torch.optim.Adam(critic.parameters(), lr=3e-5, eps=1e-5)
retnorm = [0.0, 0.0]


def policy(feat):
    mean, std = actor(feat).chunk(2, -1)
    return torch.tanh(mean), 0.9 * torch.sigmoid(std + 2) + 0.1


def kl(lhs, rhs):
    return (lhs.exp() * (lhs - rhs)).sum((-2, -1))


def world_model_step(obs, action, reward):
    embed = encoder(symlog(obs))
    deter, stoch = rssm.start(B)
    deters, stochs, posts, priors = [], [], [], []
    for t in range(T):
        deter, stoch, post, prior = rssm.obs_step(deter, stoch, action[:, t], embed[:, t])
        deters.append(deter), stochs.append(stoch), posts.append(post), priors.append(prior)
    deter, stoch = torch.stack(deters, 1), torch.stack(stochs, 1)
    post, prior = torch.stack(posts, 1), torch.stack(priors, 1)
    feat = torch.cat([stoch, deter], -1)
    rec = ((decoder(feat) - symlog(obs)) ** 2).sum(-1)
    rew = two_hot_loss(reward_head(feat), reward)
    cont = F.binary_cross_entropy_with_logits(cont_head(feat).squeeze(-1), torch.ones(B, T), reduction="none")
    dyn = kl(post.detach(), prior).clamp(min=1.0)
    rep = kl(post, prior.detach()).clamp(min=1.0)
    loss = (rec + rew + cont + 0.5 * dyn + 0.1 * rep).mean()
    model_opt.zero_grad(set_to_none=True)
    loss.backward()
    nn.utils.clip_grad_norm_(world_params, 1000.0)
    model_opt.step()
    return deter.detach().reshape(B * T, DETER), stoch.detach().reshape(B * T, FLAT)


def behaviour_step(deter, stoch):
    feats, ents = [torch.cat([stoch, deter], -1)], []
    for _ in range(H):
        mean, std = policy(feats[-1].detach())
        action = mean + std * torch.randn_like(mean)
        ents.append((0.5 * torch.log(2 * torch.pi * torch.e * std**2)).sum(-1))
        deter, stoch, _ = rssm.img_step(deter, stoch, action)
        feats.append(torch.cat([stoch, deter], -1))
    feat = torch.stack(feats, 1)
    reward = two_hot_mean(reward_head(feat))[:, 1:]
    cont = (cont_head(feat).squeeze(-1) > 0).float()
    value = two_hot_mean(critic(feat))
    disc = GAMMA * cont[:, 1:]
    rets = [value[:, -1]]
    for t in reversed(range(H)):
        rets.append(reward[:, t] + disc[:, t] * ((1 - LAMBDA) * value[:, t + 1] + LAMBDA * rets[-1]))
    ret = torch.stack(rets[::-1][:-1], 1)
    weight = torch.cumprod(torch.cat([torch.ones_like(disc[:, :1]), disc[:, :-1]], 1), 1).detach()
    flat = ret.detach().flatten()
    retnorm[0] = 0.99 * retnorm[0] + 0.01 * torch.quantile(flat, 0.05).item()
    retnorm[1] = 0.99 * retnorm[1] + 0.01 * torch.quantile(flat, 0.95).item()
    scale = max(1.0, retnorm[1] - retnorm[0])
    adv = (ret - value[:, :-1]) / scale
    actor_loss = -(weight * (adv + ACTENT * torch.stack(ents, 1))).mean()
    actor_opt.zero_grad(set_to_none=True)
    actor_loss.backward(inputs=list(actor.parameters()))
    nn.utils.clip_grad_norm_(actor.parameters(), 100.0)
    actor_opt.step()
    states = feat[:, :-1].detach()
    logits = critic(states)
    with torch.no_grad():
        slow_mean = two_hot_mean(slow(states))
    critic_loss = (weight * (two_hot_loss(logits, ret.detach()) + two_hot_loss(logits, slow_mean))).mean()
    critic_opt.zero_grad(set_to_none=True)
    critic_loss.backward()
    nn.utils.clip_grad_norm_(critic.parameters(), 100.0)
    critic_opt.step()
    with torch.no_grad():
        for p, q in zip(critic.parameters(), slow.parameters()):
            q.lerp_(p, 0.02)


@torch.no_grad()
def policy_step(state, obs):
    deter, stoch, action = state
    deter, stoch, _, _ = rssm.obs_step(deter, stoch, action, encoder(symlog(obs)))
    mean, std = policy(torch.cat([stoch, deter], -1))
    return deter, stoch, (mean + std * torch.randn_like(mean)).clamp(-1, 1)


def median_ms(fn, n):
    times = []
    for k in range(n + 1):  # the first call warms up
        start = time.perf_counter()
        fn(k)
        if k:
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


obs, action, reward = torch.randn(B, T, OBS), torch.rand(B, T, ACT) * 2 - 1, torch.rand(B, T)
starts = []
wm = median_ms(lambda k: starts.append(world_model_step(obs, action, reward)), UPDATES)
behaviour = median_ms(lambda k: behaviour_step(*starts[k]), UPDATES)
state = [(*rssm.start(1), torch.zeros(1, ACT))]
pol = median_ms(lambda k: state.append(policy_step(state[-1], torch.randn(1, OBS))), POLICY_STEPS)
print(f"world_model_ms {wm:.1f}")
print(f"behaviour_ms {behaviour:.1f}")
print(f"policy_ms {pol:.2f}")
