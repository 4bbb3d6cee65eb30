#!/usr/bin/env python3
"""
The native peer of `npm run bench` (issue 8 item 2): the same architectures as src/ml/models.ts, built in
PyTorch, trained on the CPU with the same optimizer (Adam) and loss (cross-entropy of softmax outputs) on random
64x64x3 batches of 2 classes, at the same batch sizes. Prints one JSON object on stdout.

Per (preset, batch): `--warmup` steps (excluded), then up to `--steps` timed steps; median / min / max ms per step.
Budget: before an item runs, its cost is estimated from its FLOPs and the GFLOP/s the same preset reached at the
previous batch size; an
item whose warm-up + timed steps would not fit `--budget-s` is skipped (reported with the estimate). An item
whose first timed step shows the rest will not fit stops there (`steps` = 1, marked `budgetCut`). The --key items
(vgg16 at batch 32: the issue's target) always run in full.
Peak: the GFLOP/s of a large float32 matmul (n = --matmul-n) in the same PyTorch and thread count, best of 15 warmed
calls, measured before and after the training items; the higher is reported (with both).

  /usr/bin/python3 bench/torch_peer.py --presets compact,vgg16,paper --batches 16,32,128 --budget-s 60
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(os.cpu_count() or 1)


def conv(cin, cout, padding=1):
    return [nn.Conv2d(cin, cout, 3, padding=padding), nn.ReLU(inplace=True)]


def build(preset, num_classes=2, dropout=0.35):
    """src/ml/models.ts, layer for layer (Keras defaults: BN eps 1e-3; momentum 0.99 -> torch 0.01, compact 0.9 -> 0.1)."""
    layers = []
    if preset == 'paper':
        chans = [3, 64, 64, 128] + [128] * 10
        for i in range(13):
            layers += conv(chans[i], chans[i + 1], padding=0 if i == 12 else 1)
        layers += [nn.Flatten(), nn.Linear(62 * 62 * 128, 128), nn.ReLU(inplace=True), nn.BatchNorm1d(128, eps=1e-3, momentum=0.01),
                   nn.Linear(128, 512), nn.ReLU(inplace=True), nn.BatchNorm1d(512, eps=1e-3, momentum=0.01),
                   nn.Dropout(dropout), nn.Linear(512, num_classes)]
    elif preset in ('vgg16', 'vgg19'):
        per_block = [2, 2, 3, 3, 3] if preset == 'vgg16' else [2, 2, 4, 4, 4]
        widths = [64, 128, 256, 512, 512]
        cin = 3
        for n, w in zip(per_block, widths):
            for _ in range(n):
                layers += conv(cin, w)
                cin = w
            layers.append(nn.MaxPool2d(2, 2))
        layers += [nn.Flatten(), nn.Linear(2 * 2 * 512, 512), nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(512, num_classes)]
    elif preset == 'compact':
        cin = 3
        for c in [16, 32, 64, 64]:
            layers += conv(cin, c) + [nn.BatchNorm2d(c, eps=1e-3, momentum=0.1), nn.MaxPool2d(2, 2)]
            cin = c
        layers += [nn.Flatten(), nn.Linear(4 * 4 * 64, 64), nn.ReLU(inplace=True), nn.BatchNorm1d(64, eps=1e-3, momentum=0.1),
                   nn.Dropout(dropout), nn.Linear(64, num_classes)]
    else:
        raise ValueError(preset)
    layers.append(nn.Softmax(dim=1))
    return nn.Sequential(*layers)


def forward_flops(model):
    """2 x MACs of the conv and dense layers for one 64x64x3 image (the same rule as bench/flops.mjs)."""
    total = 0
    x = torch.zeros(1, 3, 64, 64)
    model.eval()
    with torch.no_grad():
        for m in model:
            y = m(x)
            if isinstance(m, nn.Conv2d):
                total += 2 * y.shape[2] * y.shape[3] * m.out_channels * m.in_channels * 9
            elif isinstance(m, nn.Linear):
                total += 2 * m.in_features * m.out_features
            x = y
    return total


def stats(v):
    return {'median': statistics.median(v), 'min': min(v), 'max': max(v), 'runs': len(v)}


def loss_fn(probs, labels):
    # crossEntropy in src/ml/trainStep.ts: mean of -log(clip(p, 1e-7, 1)) at the true class.
    return -torch.log(probs.clamp(1e-7, 1.0)).gather(1, labels[:, None]).mean()


def sync(device):
    # CUDA runs asynchronously: a step is timed only once the GPU has finished it.
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def bench_item(preset, batch, args, rate_estimate):
    device = torch.device(args.device)
    torch.manual_seed(1)
    model = build(preset)
    params = sum(p.numel() for p in model.parameters())
    fwd = forward_flops(model)
    row = {'preset': preset, 'batch': batch, 'params': params, 'forwardFlopsPerImage': fwd, 'trainFlopsPerImage': 3 * fwd}
    key = f'{preset}:{batch}' in args.key.split(',')
    if rate_estimate and not key:
        est_step = 3 * fwd * batch / rate_estimate
        if est_step * (args.warmup + args.steps) > args.budget_s:
            row.update({'skipped': f'estimated {est_step:.1f} s per step (at {rate_estimate / 1e9:.0f} GFLOP/s): '
                                   f'{args.warmup} warm-up + {args.steps} steps exceed the {args.budget_s:.0f} s budget',
                        'estimatedStepMs': est_step * 1000})
            return row
    model.to(device).train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(2)
    x = torch.rand(batch, 3, 64, 64, generator=g).to(device)
    y = torch.randint(0, 2, (batch,), generator=g).to(device)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()  # a readback, like the app's step (and a sync on CUDA)

    t_start = time.perf_counter()
    for _ in range(args.warmup):
        step()
    times = []
    cut = False
    while len(times) < args.steps:
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
        spent = time.perf_counter() - t_start
        if len(times) == 1 and not key and spent + times[0] / 1000 * (args.steps - 1) > args.budget_s * 1.5:
            cut = True
            break
    ms = stats(times)
    row.update({'stepMs': ms, 'imagesPerSecond': batch / (ms['median'] / 1000), 'budgetCut': cut,
                'gflopsPerSecond': 3 * fwd * batch / (ms['median'] / 1000) / 1e9})
    # Inference: model.eval(), no grad, same batch; median of 3 after one warm-up.
    model.eval()
    inf = []
    with torch.no_grad():
        model(x)
        sync(device)
        for _ in range(3):
            t0 = time.perf_counter()
            model(x)
            sync(device)
            inf.append((time.perf_counter() - t0) * 1000)
            if sum(inf) > args.budget_s * 250:
                break
    row['inferenceMs'] = stats(inf)
    row['inferenceImagesPerSecond'] = batch / (statistics.median(inf) / 1000)
    return row


def timed(f, reps):
    f()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return times


def matmul_peak(n, reps=5, rounds=3):
    """n x n x n float32 matmul, two ways: torch.mm (this build's BLAS) and oneDNN's inner product (what conv and
    mkldnn layers use). Debian's python3-torch links the generic reference BLAS, so torch.mm is far below the
    machine's limit; the peak is the faster of the two. oneDNN: one warm-up call, then `rounds` rounds of `reps`
    calls a second apart, best call of all (issue 17 item 5: a single round of 5 moved from 110 to 206 GFLOP/s
    within minutes on this shared machine; main() measures it again at the end and keeps the higher)."""
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    out = {'n': n, 'reps': reps, 'rounds': rounds}
    flops = 2 * n ** 3
    small = min(n, 1024)  # reference BLAS: seconds per call at 2048
    a1, b1 = a[:small, :small].contiguous(), b[:small, :small].contiguous()
    mm = timed(lambda: torch.mm(a1, b1), 2)
    out['torchMm'] = {'n': small, 'bestSeconds': min(mm), 'gflopsPerSecond': 2 * small ** 3 / min(mm) / 1e9}
    if torch.backends.mkldnn.is_available():
        from torch.utils import mkldnn as mkldnn_utils
        with torch.no_grad():
            lin = mkldnn_utils.to_mkldnn(nn.Linear(n, n, bias=False))
            am = a.to_mkldnn()
            t = []
            for r in range(rounds):
                if r:
                    time.sleep(1)
                t += timed(lambda: lin(am), reps)
        out['oneDnn'] = {'bestSeconds': min(t), 'medianSeconds': statistics.median(t), 'worstSeconds': max(t),
                         'gflopsPerSecond': flops / min(t) / 1e9, 'medianGflopsPerSecond': flops / statistics.median(t) / 1e9}
    best = max(out['torchMm']['gflopsPerSecond'], out.get('oneDnn', {}).get('gflopsPerSecond', 0))
    out['gflopsPerSecond'] = best
    out['via'] = 'oneDNN inner product' if 'oneDnn' in out and out['oneDnn']['gflopsPerSecond'] >= out['torchMm']['gflopsPerSecond'] else 'torch.mm'
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--presets', default='compact,vgg16,paper')
    p.add_argument('--batches', default='16,32,128')
    p.add_argument('--steps', type=int, default=5)
    p.add_argument('--warmup', type=int, default=1)
    p.add_argument('--budget-s', type=float, default=60)
    p.add_argument('--matmul-n', type=int, default=2048)
    p.add_argument('--key', default='vgg16:32', help='preset:batch items that always run in full (the issue\'s target)')
    p.add_argument('--device', default='cpu', help='cpu, or cuda (bench/gpu.mjs: PyTorch-CUDA beside the app on a GPU)')
    p.add_argument('--no-peak', action='store_true', help='skip the CPU matmul peak (meaningless for --device cuda)')
    args = p.parse_args()
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        print('torch_peer: --device cuda but this PyTorch has no CUDA device', file=sys.stderr)
        sys.exit(3)
    out = {'torch': torch.__version__, 'python': sys.version.split()[0], 'threads': torch.get_num_threads(), 'cpus': os.cpu_count(),
           'mkldnn': torch.backends.mkldnn.is_available(), 'steps': args.steps, 'warmup': args.warmup, 'budgetSeconds': args.budget_s,
           'device': args.device}
    if args.device.startswith('cuda'):
        out['deviceName'] = torch.cuda.get_device_name(torch.device(args.device))
    if not args.no_peak:
        out['peak'] = matmul_peak(args.matmul_n)
        pk = out['peak']
        print(f"torch_peer: matmul {args.matmul_n}^3: {pk['gflopsPerSecond']:.1f} GFLOP/s via {pk['via']} (torch.mm {pk['torchMm']['gflopsPerSecond']:.1f})", file=sys.stderr)
    rows = []
    for preset in args.presets.split(','):
        rate = None  # training FLOP/s of this preset's last measured batch size, for the next estimate
        for batch in [int(b) for b in args.batches.split(',')]:
            t0 = time.perf_counter()
            row = bench_item(preset, batch, args, rate)
            row['seconds'] = time.perf_counter() - t0
            if 'gflopsPerSecond' in row:
                rate = row['gflopsPerSecond'] * 1e9
            rows.append(row)
            msg = row.get('skipped') or f"{row['imagesPerSecond']:.1f} images/s ({row['stepMs']['runs']} steps), inference {row['inferenceImagesPerSecond']:.1f} images/s"
            print(f"torch_peer: {preset} batch {batch}: {msg}", file=sys.stderr)
    out['results'] = rows
    if args.no_peak:
        print(json.dumps(out))
        return
    # The peak again, same process and threads, after the training items: the higher of the two is the figure.
    end = matmul_peak(args.matmul_n)
    out['peakAtStart'] = pk
    out['peakAtEnd'] = end
    if end['gflopsPerSecond'] > pk['gflopsPerSecond']:
        out['peak'] = end
    print(f"torch_peer: matmul {args.matmul_n}^3 at the end: {end['gflopsPerSecond']:.1f} GFLOP/s (start {pk['gflopsPerSecond']:.1f})", file=sys.stderr)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
