"""Writes the PyTorch reference fixtures the conformance tests check (development only; CI never runs this).

Run with Debian's interpreter and python3-torch (PyTorch 1.13):
    /usr/bin/python3 tests/Descent.Tests/Fixtures/torch/generate.py
Schema and torch semantics: shared/reference/torch-fixtures.md.
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))


def num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def vec(t):
    return [num(v) for v in t.tolist()]


# ---------------------------------------------------------------- optimizers

DEFAULTS = {
    "SGD": dict(momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False),
    "Adagrad": dict(lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, maximize=False),
    "RMSprop": dict(lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=False, maximize=False),
    "Adam": dict(lr=0.001, betas=[0.9, 0.999], eps=1e-08, weight_decay=0, amsgrad=False, maximize=False),
    "AdamW": dict(lr=0.001, betas=[0.9, 0.999], eps=1e-08, weight_decay=0.01, amsgrad=False, maximize=False),
    "NAdam": dict(lr=0.002, betas=[0.9, 0.999], eps=1e-08, weight_decay=0, momentum_decay=0.004),
    "RAdam": dict(lr=0.001, betas=[0.9, 0.999], eps=1e-08, weight_decay=0),
    "Adamax": dict(lr=0.002, betas=[0.9, 0.999], eps=1e-08, weight_decay=0, maximize=False),
}


def make(name, params, hyper):
    kw = dict(hyper)
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    return getattr(torch.optim, name)(params, **kw)


def full_hyper(name, **overrides):
    h = dict(DEFAULTS[name])
    h.update(overrides)
    return h


def nadam_documented(x0, grads_fn, hyper, steps):
    """The NAdam formula as documented (torch >= 2.0), in float64; grads_fn(theta) gives the gradient."""
    lr, (b1, b2), eps, wd, psi = hyper["lr"], hyper["betas"], hyper["eps"], hyper["weight_decay"], hyper["momentum_decay"]
    theta = torch.tensor(x0)
    m = torch.zeros_like(theta)
    v = torch.zeros_like(theta)
    prod = 1.0
    out = []
    for t in range(1, steps + 1):
        g = grads_fn(theta, t - 1).clone()
        if wd != 0:
            g = g + wd * theta
        mu = b1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        prod = prod * mu
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        d = (v / (1 - b2 ** t)).sqrt() + eps
        theta = theta - lr * (1 - mu) / (1 - prod) * g / d
        theta = theta - lr * mu_next / (1 - prod * mu_next) * m / d
        out.append(theta.clone())
    return out


def fixed_case(name, opt, hyper, x0, grads):
    p = torch.tensor(x0, requires_grad=True)
    o = make(opt, [p], hyper)
    traj = []
    for g in grads:
        p.grad = torch.tensor(g)
        o.step()
        traj.append(vec(p.detach()))
    case = dict(name=name, kind="fixed_grads", optimizer=opt, hyper=hyper, x0=x0, grads=grads, trajectory=traj)
    if opt == "NAdam":
        doc = nadam_documented(x0, lambda th, k: torch.tensor(grads[k]), hyper, len(grads))
        case["trajectory_documented_formula"] = [vec(t) for t in doc]
    return case


LOSSES = {
    "rosenbrock": (
        lambda x, y: (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
        lambda x, y: (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)),
        "(1-x)^2 + 100*(y-x^2)^2",
        "gx = -2*(1-x) - 400*x*(y - x*x), gy = 200*(y - x*x)",
    ),
    "quadratic_1_50": (
        lambda x, y: 0.5 * (x * x + 50 * y * y),
        lambda x, y: (x, 50 * y),
        "0.5*(x^2 + 50*y^2)",
        "gx = x, gy = 50*y",
    ),
}


def loss_case(name, opt, hyper, loss, x0, steps):
    f, grad, lf, gf = LOSSES[loss]
    p = torch.tensor(x0, requires_grad=True)
    o = make(opt, [p], hyper)
    traj, losses = [], []
    diverged_at = None
    for k in range(1, steps + 1):
        x, y = p.detach().tolist()
        gx, gy = grad(x, y)
        p.grad = torch.tensor([gx, gy])
        o.step()
        th = p.detach().tolist()
        traj.append([num(v) for v in th])
        lv = f(th[0], th[1])
        losses.append(num(lv))
        nonfinite_param = not all(math.isfinite(v) for v in th)
        if diverged_at is None and (nonfinite_param or not math.isfinite(lv)):
            diverged_at = k
        if nonfinite_param:
            break
    loss0 = f(*x0)
    last = losses[-1]
    diverged = diverged_at is not None or (isinstance(last, float) and last > loss0)
    case = dict(name=name, kind="loss", optimizer=opt, hyper=hyper, loss=loss, loss_formula=lf, gradient_formula=gf,
                x0=x0, loss0=num(loss0), steps=steps, trajectory=traj, losses=losses, diverged=diverged,
                diverged_at_step=diverged_at)
    if opt == "NAdam":
        doc = nadam_documented(x0, lambda th, k: torch.tensor(grad(*th.tolist())), hyper, len(traj))
        case["trajectory_documented_formula"] = [vec(t) for t in doc]
        case["losses_documented_formula"] = [num(f(*t.tolist())) for t in doc]
    return case


def optimizer_cases():
    gen = torch.Generator().manual_seed(1234)
    x0 = [round(v, 6) for v in (torch.randn(5, generator=gen) * 1.5).tolist()]
    grads = [[round(v, 6) for v in torch.randn(5, generator=gen).tolist()] for _ in range(20)]
    cases = []

    def fx(name, opt, **kw):
        cases.append(fixed_case(name, opt, full_hyper(opt, **kw), x0, grads))

    def ls(name, opt, loss, start, steps, **kw):
        cases.append(loss_case(name, opt, full_hyper(opt, **kw), loss, start, steps))

    # SGD
    fx("sgd_plain", "SGD", lr=0.1)
    fx("sgd_momentum", "SGD", lr=0.05, momentum=0.9)
    fx("sgd_momentum_dampening", "SGD", lr=0.05, momentum=0.9, dampening=0.9)
    fx("sgd_nesterov", "SGD", lr=0.05, momentum=0.9, nesterov=True)
    fx("sgd_weight_decay", "SGD", lr=0.1, momentum=0.5, weight_decay=0.1)
    fx("sgd_maximize", "SGD", lr=0.1, momentum=0.9, maximize=True)
    ls("sgd_quadratic", "SGD", "quadratic_1_50", [1.0, 1.0], 40, lr=0.03)
    ls("sgd_momentum_rosenbrock", "SGD", "rosenbrock", [-1.5, 2.0], 60, lr=0.0005, momentum=0.9)
    ls("sgd_quadratic_grows", "SGD", "quadratic_1_50", [1.0, 1.0], 60, lr=0.05)
    ls("sgd_quadratic_overflows", "SGD", "quadratic_1_50", [1.0, 1.0], 600, lr=0.1)
    ls("sgd_nesterov_quadratic", "SGD", "quadratic_1_50", [1.0, 1.0], 40, lr=0.02, momentum=0.8, nesterov=True)
    # Adagrad
    fx("adagrad_default", "Adagrad")
    fx("adagrad_lr_decay", "Adagrad", lr=0.5, lr_decay=0.1)
    fx("adagrad_accumulator_wd", "Adagrad", lr=0.3, initial_accumulator_value=0.5, weight_decay=0.05)
    fx("adagrad_maximize", "Adagrad", lr=0.3, maximize=True)
    ls("adagrad_rosenbrock", "Adagrad", "rosenbrock", [-1.5, 2.0], 100, lr=0.5)
    # RMSprop
    fx("rmsprop_default", "RMSprop")
    fx("rmsprop_centered", "RMSprop", lr=0.01, centered=True)
    fx("rmsprop_momentum", "RMSprop", lr=0.01, momentum=0.9)
    fx("rmsprop_centered_momentum_wd", "RMSprop", lr=0.005, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.1)
    ls("rmsprop_quadratic", "RMSprop", "quadratic_1_50", [1.0, 1.0], 50, lr=0.01)
    # Adam
    fx("adam_default", "Adam")
    fx("adam_lr_0.1", "Adam", lr=0.1)
    fx("adam_amsgrad", "Adam", lr=0.05, amsgrad=True)
    fx("adam_l2", "Adam", lr=0.05, weight_decay=0.1)
    fx("adam_betas_maximize", "Adam", lr=0.02, betas=[0.5, 0.9], eps=1e-6, maximize=True)
    ls("adam_rosenbrock", "Adam", "rosenbrock", [-1.5, 2.0], 200, lr=0.05)
    ls("adam_quadratic", "Adam", "quadratic_1_50", [1.0, 1.0], 60, lr=0.1)
    # AdamW
    fx("adamw_default", "AdamW")
    fx("adamw_wd_0.1", "AdamW", lr=0.05, weight_decay=0.1)
    fx("adamw_amsgrad", "AdamW", lr=0.05, weight_decay=0.05, amsgrad=True)
    ls("adamw_rosenbrock", "AdamW", "rosenbrock", [-1.5, 2.0], 150, lr=0.05, weight_decay=0.01)
    # NAdam
    fx("nadam_default", "NAdam")
    fx("nadam_lr_0.05", "NAdam", lr=0.05)
    fx("nadam_wd_decay", "NAdam", lr=0.02, weight_decay=0.1, momentum_decay=0.01)
    ls("nadam_rosenbrock", "NAdam", "rosenbrock", [-1.5, 2.0], 100, lr=0.02)
    # RAdam
    fx("radam_default", "RAdam")
    fx("radam_lr_0.05", "RAdam", lr=0.05)
    fx("radam_wd_betas", "RAdam", lr=0.01, betas=[0.8, 0.99], weight_decay=0.1)
    ls("radam_quadratic", "RAdam", "quadratic_1_50", [1.0, 1.0], 60, lr=0.01)
    # Adamax
    fx("adamax_default", "Adamax")
    fx("adamax_lr_0.1_wd", "Adamax", lr=0.1, weight_decay=0.05)
    fx("adamax_maximize", "Adamax", lr=0.05, betas=[0.8, 0.99], maximize=True)
    ls("adamax_rosenbrock", "Adamax", "rosenbrock", [-1.5, 2.0], 100, lr=0.05)
    return cases


# ---------------------------------------------------------------- schedules

def schedule_case(name, scheduler, params, base_lr=0.1, steps=60, momentum=0.0, metrics=None):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base_lr, momentum=momentum)
    sched = build_scheduler(opt, scheduler, params)
    lrs, moms, after = [], [], []
    for i in range(steps):
        lrs.append(num(opt.param_groups[0]["lr"]))
        if scheduler in ("OneCycleLR", "CyclicLR"):
            moms.append(num(opt.param_groups[0]["momentum"]))
        opt.step()
        if metrics is not None:
            sched.step(metrics[i])
            after.append(num(opt.param_groups[0]["lr"]))
        else:
            sched.step()
    case = dict(name=name, scheduler=scheduler, params=params, base_lr=base_lr, optimizer="SGD",
                optimizer_hyper=dict(lr=base_lr, momentum=momentum), steps=steps, lrs=lrs)
    if moms:
        case["momentums"] = moms
    if metrics is not None:
        case["metrics"] = metrics
        case["lrs_after_step"] = after
    return case


def build_scheduler(opt, scheduler, params):
    kw = dict(params)
    if scheduler == "SequentialLR":
        subs = [build_scheduler(opt, s["scheduler"], s["params"]) for s in kw.pop("schedulers")]
        return torch.optim.lr_scheduler.SequentialLR(opt, subs, **kw)
    return getattr(torch.optim.lr_scheduler, scheduler)(opt, **kw)


def schedule_cases():
    c = []
    c.append(schedule_case("step_10_0.5", "StepLR", dict(step_size=10, gamma=0.5)))
    c.append(schedule_case("step_7_0.1", "StepLR", dict(step_size=7, gamma=0.1), base_lr=1.0, steps=30))
    c.append(schedule_case("multistep", "MultiStepLR", dict(milestones=[10, 25, 40], gamma=0.2)))
    c.append(schedule_case("exponential_0.95", "ExponentialLR", dict(gamma=0.95)))
    c.append(schedule_case("linear_warmup_0.1_10", "LinearLR", dict(start_factor=0.1, end_factor=1.0, total_iters=10)))
    c.append(schedule_case("linear_decay", "LinearLR", dict(start_factor=1.0, end_factor=0.05, total_iters=40)))
    c.append(schedule_case("constant_0.25_8", "ConstantLR", dict(factor=0.25, total_iters=8), steps=20))
    for power in (0.5, 1.0, 2.0):
        c.append(schedule_case(f"polynomial_{power}", "PolynomialLR", dict(total_iters=30, power=power), steps=40))
    c.append(schedule_case("cosine_100_past_tmax", "CosineAnnealingLR", dict(T_max=100, eta_min=0.0), steps=250))
    c.append(schedule_case("cosine_20_eta_min", "CosineAnnealingLR", dict(T_max=20, eta_min=0.01), steps=60))
    c.append(schedule_case("warm_restarts_10_1", "CosineAnnealingWarmRestarts", dict(T_0=10, T_mult=1, eta_min=0.001), steps=50))
    c.append(schedule_case("warm_restarts_5_2", "CosineAnnealingWarmRestarts", dict(T_0=5, T_mult=2, eta_min=0.0), steps=80))
    c.append(schedule_case("onecycle_cos", "OneCycleLR", dict(max_lr=0.1, total_steps=100), steps=100, momentum=0.9))
    c.append(schedule_case("onecycle_linear", "OneCycleLR",
                           dict(max_lr=0.5, total_steps=80, pct_start=0.25, anneal_strategy="linear", div_factor=10.0,
                                final_div_factor=100.0, base_momentum=0.8, max_momentum=0.95), steps=80, momentum=0.9))
    c.append(schedule_case("cyclic_triangular", "CyclicLR", dict(base_lr=0.001, max_lr=0.1, step_size_up=10, mode="triangular"),
                           steps=70, momentum=0.9))
    c.append(schedule_case("cyclic_triangular2", "CyclicLR", dict(base_lr=0.001, max_lr=0.1, step_size_up=10, mode="triangular2"),
                           steps=70, momentum=0.9))
    c.append(schedule_case("cyclic_exp_range", "CyclicLR",
                           dict(base_lr=0.001, max_lr=0.1, step_size_up=10, mode="exp_range", gamma=0.99), steps=70, momentum=0.9))
    c.append(schedule_case("cyclic_asymmetric", "CyclicLR",
                           dict(base_lr=0.01, max_lr=0.2, step_size_up=5, step_size_down=15, mode="triangular", cycle_momentum=False),
                           steps=50))
    c.append(schedule_case("sequential_warmup_cosine", "SequentialLR",
                           dict(schedulers=[dict(scheduler="LinearLR", params=dict(start_factor=0.01, end_factor=1.0, total_iters=10)),
                                            dict(scheduler="CosineAnnealingLR", params=dict(T_max=90, eta_min=0.0))],
                                milestones=[10]), steps=100))
    c.append(schedule_case("sequential_three", "SequentialLR",
                           dict(schedulers=[dict(scheduler="ConstantLR", params=dict(factor=0.5, total_iters=5)),
                                            dict(scheduler="ExponentialLR", params=dict(gamma=0.9)),
                                            dict(scheduler="StepLR", params=dict(step_size=5, gamma=0.5))],
                                milestones=[8, 20]), steps=40))
    metrics = [1.0, 0.9, 0.85, 0.85, 0.86, 0.84, 0.849, 0.85, 0.85, 0.85, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78, 0.79,
               0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 0.89]
    c.append(schedule_case("plateau_min_rel", "ReduceLROnPlateau", dict(mode="min", factor=0.5, patience=2, threshold=0.01),
                           steps=len(metrics), metrics=metrics))
    c.append(schedule_case("plateau_min_abs_cooldown", "ReduceLROnPlateau",
                           dict(mode="min", factor=0.1, patience=1, threshold=0.02, threshold_mode="abs", cooldown=2, min_lr=0.0005),
                           steps=len(metrics), metrics=metrics))
    acc = [0.5, 0.6, 0.65, 0.65, 0.66, 0.66, 0.66, 0.7, 0.7, 0.7, 0.7, 0.7, 0.71, 0.71, 0.71, 0.71, 0.71, 0.71, 0.71, 0.71]
    c.append(schedule_case("plateau_max", "ReduceLROnPlateau", dict(mode="max", factor=0.3, patience=3, threshold=0.001),
                           steps=len(acc), metrics=acc))
    return c


def write(folder, name, cases):
    path = os.path.join(HERE, folder, name)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)
    print(f"{path}: {len(cases)} cases")


if __name__ == "__main__":
    write("optimizers", "torch_1_13_optimizers.json", optimizer_cases())
    write("schedules", "torch_1_13_schedules.json", schedule_cases())
